package io.troupe.coap;

import io.troupe.router.ConsumerRequest;
import io.troupe.router.Decision;
import io.troupe.router.GatewayRouter;
import io.troupe.router.Principal;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /s/{address}/{path…}}: every method, any depth. Extracts the request, asks the router, and
 * answers at once when the router refuses, or later when the answer comes through {@link
 * PendingExchanges}: on the ACK of a confirmable request if it comes within {@link #ACCEPT_AFTER},
 * else as a separate response.
 */
final class ServiceResource extends CoapResource {

  private static final Logger log = LoggerFactory.getLogger(ServiceResource.class);

  /** How long an answer may take to be piggybacked on the ACK of a confirmable request. */
  static final Duration ACCEPT_AFTER = Duration.ofMillis(500);

  private final GatewayRouter router;
  private final PeerIdentities peers;
  private final RequestTranslator translator;
  private final PendingExchanges pending;
  private final Consumer<Decision> forwarder;
  private final ScheduledExecutorService timers;

  /**
   * @param timers where the empty ACK of a slow answer is scheduled (Californium's secondary
   *     executor)
   */
  ServiceResource(
      final GatewayRouter router,
      final PeerIdentities peers,
      final PendingExchanges pending,
      final Consumer<Decision> forwarder,
      final ScheduledExecutorService timers) {
    super(RequestTranslator.SERVICES);
    this.router = router;
    this.peers = peers;
    this.translator = new RequestTranslator(router.config().topics());
    this.pending = pending;
    this.forwarder = forwarder;
    this.timers = timers;
  }

  @Override
  public Resource getChild(final String name) {
    return this; // the address and the path below it are the request's, not resources
  }

  @Override
  public void handleGET(final CoapExchange exchange) {
    handle(exchange);
  }

  @Override
  public void handlePOST(final CoapExchange exchange) {
    handle(exchange);
  }

  @Override
  public void handlePUT(final CoapExchange exchange) {
    handle(exchange);
  }

  @Override
  public void handleDELETE(final CoapExchange exchange) {
    handle(exchange);
  }

  @Override
  public void handleFETCH(final CoapExchange exchange) {
    handle(exchange);
  }

  @Override
  public void handlePATCH(final CoapExchange exchange) {
    handle(exchange);
  }

  @Override
  public void handleIPATCH(final CoapExchange exchange) {
    handle(exchange);
  }

  /**
   * Piggybacks a prompt answer on the ACK; an answer that takes longer than {@link #ACCEPT_AFTER}
   * comes as a separate response, acknowledged before the client's ACK timeout (2 s by default)
   * makes it retransmit. Runs on the exchange's own executor, where its response is sent too, so
   * the two never race; the answer cancels it.
   */
  private void acknowledgeIfSlow(final String clientId, final CoapExchange exchange) {
    pending.acknowledgeBy(
        clientId,
        timers.schedule(
            () -> exchange.advanced().execute(exchange::accept),
            ACCEPT_AFTER.toMillis(),
            TimeUnit.MILLISECONDS));
  }

  private void handle(final CoapExchange exchange) {
    String clientId = null;
    try {
      final Optional<RequestTranslator.Target> target =
          RequestTranslator.target(exchange.getRequestOptions().getUriPath());
      if (target.isEmpty()) {
        CoapCodes.respond(exchange, 404, "use /s/{address}/{path}");
        return;
      }
      clientId = pending.nextClientId();
      final Optional<Principal> who = peers.login(exchange, clientId);
      if (who.isEmpty()) {
        return;
      }
      final ConsumerRequest request =
          translator.toConsumerRequest(
              who.get(),
              target.get(),
              exchange.getRequestCode().name(),
              exchange.getRequestPayload(),
              exchange.getRequestOptions().getContentFormat());
      pending.put(clientId, exchange);
      final Decision decision = router.onRequest(request);
      if (decision instanceof Decision.Answer answer) {
        pending.offer(answer); // refused on arrival: a piggybacked response
        return;
      }
      if (exchange.advanced().getRequest().getType() == Type.CON) {
        acknowledgeIfSlow(clientId, exchange);
      }
      forwarder.accept(decision);
    } catch (final RuntimeException e) {
      log.error("could not handle a CoAP request [client: {}]", clientId, e);
      if (clientId != null) {
        pending.remove(clientId);
      }
      CoapCodes.respond(exchange, 500, "the gateway could not handle this request");
    }
  }
}
