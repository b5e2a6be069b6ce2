package io.troupe.coap;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.router.Decision;
import io.troupe.router.Directive;
import io.troupe.router.GatewayRouter;
import io.troupe.router.Principal;
import io.troupe.router.StatusReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PUT or POST on {@code /c/{community}/status/{device}}: a device registered over CoAP reports its
 * status, a protobuf {@code StatusMessage} (Content-Format application/octet-stream, or none), with
 * exactly the checks an MQTT status gets ({@link GatewayRouter#report}). A refused status changes
 * nothing and is answered with its reason (4.00 for a malformed one). The requests a status lets go
 * to a server (held for a volunteer, R16) are handed to the forwarder.
 */
final class StatusReportResource extends CoapResource {

  private static final Logger log = LoggerFactory.getLogger(StatusReportResource.class);

  private final String community;
  private final GatewayRouter router;
  private final Registrations registrations;
  private final PeerIdentities peers;
  private final Consumer<List<Directive>> directives;
  private final Consumer<Decision> forwarder;

  StatusReportResource(
      final String community,
      final String device,
      final GatewayRouter router,
      final Registrations registrations,
      final PeerIdentities peers,
      final Consumer<List<Directive>> directives,
      final Consumer<Decision> forwarder) {
    super(device, false);
    this.forwarder = forwarder;
    this.community = community;
    this.router = router;
    this.registrations = registrations;
    this.peers = peers;
    this.directives = directives;
  }

  @Override
  public void handlePUT(final CoapExchange exchange) {
    report(exchange);
  }

  @Override
  public void handlePOST(final CoapExchange exchange) {
    report(exchange);
  }

  private void report(final CoapExchange exchange) {
    try {
      final Optional<String> identity = peers.caller(exchange);
      if (identity.isEmpty()) {
        return;
      }
      final String device = getName();
      if (!identity.get().equals(device)) {
        CoapCodes.respond(exchange, 403, "only '" + device + "' reports its status");
        return;
      }
      if (registrations.get(device).isEmpty()) {
        CoapCodes.respond(
            exchange, 403, "'" + device + "' has no live registration; register at /rd first");
        return;
      }
      final int format = exchange.getRequestOptions().getContentFormat();
      if (format != MediaTypeRegistry.UNDEFINED
          && format != MediaTypeRegistry.APPLICATION_OCTET_STREAM) {
        CoapCodes.respond(
            exchange, 415, "a status is a protobuf StatusMessage, application/octet-stream");
        return;
      }
      final Principal who = Registrations.principal(device);
      final ByteString payload = ByteString.copyFrom(exchange.getRequestPayload());
      final StatusReport report = router.report(who, community, device, payload);
      if (!report.verdict().isAllowed()) {
        CoapCodes.respond(exchange, report.verdict().status().code(), report.verdict().reason());
        return;
      }
      // retained on the status topic, as an MQTT device's own publish would be
      final List<Directive> publish = new ArrayList<>();
      publish.add(
          new Directive.PublishStatus(
              router.config().topics().status(community, device),
              StatusMessage.parseFrom(payload)));
      publish.addAll(report.directives());
      directives.accept(publish);
      report.decisions().forEach(forwarder);
      CoapCodes.respond(exchange, 204);
    } catch (final InvalidProtocolBufferException | RuntimeException e) {
      log.error("could not take a status [device: {}]", getName(), e);
      CoapCodes.respond(exchange, 500, "the gateway could not take this status");
    }
  }
}
