package io.troupe.coap;

import java.security.Principal;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.californium.core.coap.BlockOption;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.EmptyMessage;
import org.eclipse.californium.core.coap.OptionSet;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.network.stack.Layer;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A layer just below Californium's block-wise layer that takes inbound uploads (Block1 requests)
 * off its hands: Californium's own reassembly allocates a buffer of the whole allowed body at the
 * first block and keeps it for the block-wise status lifetime (300 s), which lets a few hundred
 * datagrams pin the heap. Here each block goes to {@link Uploads}, which keeps only what has
 * arrived and applies the limits; a refused block is answered 5.03 with Max-Age (busy), 4.13 with
 * Size1 (too large) or 4.08 (incomplete). The whole body goes up without Block1, and the block-wise
 * layer acknowledges the last block in the response, as after its own reassembly. Everything else
 * (Block2 both ways, the bridge's own outbound uploads) passes through to Californium's layers.
 */
final class UploadLayer implements Layer {

  private static final Logger log = LoggerFactory.getLogger(UploadLayer.class);

  private final Uploads uploads;
  private final @Nullable String actAs;
  private volatile Layer upper;
  private volatile Layer lower;

  /**
   * @param actAs the identity requests without a DTLS identity act as (the plain endpoint's), or
   *     null
   */
  UploadLayer(final Uploads uploads, final @Nullable String actAs) {
    this.uploads = uploads;
    this.actAs = actAs;
  }

  @Override
  public void receiveRequest(final Exchange exchange, final Request request) {
    if (request.getType() == CoAP.Type.ACK || request.getType() == CoAP.Type.RST) {
      // a request is CON or NON: Californium would answer this one with an unsendable RST
      exchange.executeComplete();
      return;
    }
    final BlockOption block1 = request.getOptions().getBlock1();
    if (block1 == null) {
      upper.receiveRequest(exchange, request);
      return;
    }
    if (!request.isIntendedPayload()) {
      final Response r = new Response(CoapCodes.toCoapCode(400, request.getCode()));
      r.setPayload(request.getCode() + " carries no body to upload");
      respond(exchange, request, r);
      return;
    }
    final Uploads.Key key =
        new Uploads.Key(
            identityOf(request),
            request.getSourceContext().getPeerAddress().getAddress(),
            request.getSourceContext().getPeerAddress().getPort(),
            request.getOptions().getUriString());
    final Uploads.Block block =
        new Uploads.Block(
            block1.getNum(),
            block1.getSize(),
            block1.isM(),
            request.getPayload(),
            request.getOptions().hasSize1() ? request.getOptions().getSize1() : -1);
    final Uploads.Outcome outcome = uploads.offer(key, block);
    if (outcome instanceof Uploads.Outcome.Complete done) {
      deliver(exchange, request, block1, done.body());
    } else if (outcome instanceof Uploads.Outcome.Refused r) {
      log.debug(
          "refused an upload block [identity: {}, address: {}, uri: {}, block: {}, why: {}]",
          key.identity(),
          request.getSourceContext().getPeerAddress(),
          key.uri(),
          block1,
          r.why());
      respond(exchange, request, refusal(r.why()));
    } else {
      respond(exchange, request, continued(block1));
    }
  }

  /** The whole body goes up the stack as one request, as Californium's own reassembly does. */
  private void deliver(
      final Exchange exchange, final Request last, final BlockOption block1, final byte[] body) {
    final Request whole = new Request(last.getCode(), last.getType());
    final OptionSet options = new OptionSet(last.getOptions());
    options.removeBlock1();
    options.removeSize1();
    whole.setOptions(options);
    whole.setPayload(body);
    whole.setMID(last.getMID());
    whole.setToken(last.getToken());
    whole.setScheme(last.getScheme());
    whole.setSourceContext(last.getSourceContext());
    whole.setNanoTimestamp(last.getNanoTimestamp());
    exchange.setRequest(whole);
    exchange.setBlock1ToAck(block1);
    upper.receiveRequest(exchange, whole);
  }

  private static Response continued(final BlockOption block1) {
    final Response r = new Response(CoapCodes.UPLOAD_CONTINUES);
    r.getOptions().setBlock1(block1.getSzx(), true, block1.getNum());
    return r;
  }

  private Response refusal(final UploadRefusal why) {
    final Response r;
    switch (why) {
      case TOO_LARGE -> {
        r = new Response(CoapCodes.toCoapCode(413, null));
        r.getOptions().setSize1(uploads.maxBody());
        r.setPayload("body too large, at most " + uploads.maxBody() + " bytes");
      }
      case INCOMPLETE -> {
        r = new Response(CoapCodes.UPLOAD_INCOMPLETE);
        r.setPayload("block does not continue an upload");
      }
      default -> {
        r = new Response(CoapCodes.toCoapCode(503, null));
        r.getOptions().setMaxAge(Math.max(1, uploads.limits().idleTimeout().toSeconds()));
        r.setPayload(
            switch (why) {
              case IDENTITY_BUSY -> "too many uploads of this identity";
              case PEER_BUSY -> "too many uploads from this address";
              default -> "too many uploads";
            });
      }
    }
    return r;
  }

  private void respond(final Exchange exchange, final Request request, final Response response) {
    response.setDestinationContext(request.getSourceContext());
    lower.sendResponse(exchange, response);
  }

  private String identityOf(final Request request) {
    final Principal peer = request.getSourceContext().getPeerIdentity();
    if (peer instanceof PreSharedKeyIdentity psk) {
      return psk.getIdentity();
    }
    return Optional.ofNullable(actAs).orElse("");
  }

  @Override
  public void sendRequest(final Exchange exchange, final Request request) {
    lower.sendRequest(exchange, request);
  }

  @Override
  public void sendResponse(final Exchange exchange, final Response response) {
    lower.sendResponse(exchange, response);
  }

  @Override
  public void sendEmptyMessage(final Exchange exchange, final EmptyMessage message) {
    lower.sendEmptyMessage(exchange, message);
  }

  @Override
  public void receiveResponse(final Exchange exchange, final Response response) {
    upper.receiveResponse(exchange, response);
  }

  @Override
  public void receiveEmptyMessage(final Exchange exchange, final EmptyMessage message) {
    upper.receiveEmptyMessage(exchange, message);
  }

  // Linked both ways, as Californium's own layers link themselves
  @Override
  public void setLowerLayer(final Layer layer) {
    if (lower != layer) {
      lower = layer;
      layer.setUpperLayer(this);
    }
  }

  @Override
  public void setUpperLayer(final Layer layer) {
    if (upper != layer) {
      upper = layer;
      layer.setLowerLayer(this);
    }
  }

  @Override
  public void setExecutors(
      final ScheduledExecutorService main, final ScheduledExecutorService secondary) {
    // runs on the threads of the layer below
  }

  @Override
  public void start() {}

  @Override
  public void destroy() {}
}
