package io.troupe.coap;

import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.RedeemInvitation;
import io.troupe.router.ApiResult;
import io.troupe.router.Directive;
import io.troupe.router.GatewayRouter;
import io.troupe.router.Logins;
import io.troupe.router.Principal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST on {@code /i/{TOKEN}}: an authenticated identity redeems an invitation over CoAP (R14), as
 * {@code RedeemInvitation} does over MQTT. 2.01 with the {@code Redeemed} message (protobuf,
 * application/octet-stream); a refusal answers its status with the reason (410, which CoAP lacks,
 * as 4.00).
 */
final class InvitationResource extends CoapResource {

  private static final Logger log = LoggerFactory.getLogger(InvitationResource.class);
  private static final AtomicLong IDS = new AtomicLong();

  private final GatewayRouter router;
  private final PeerIdentities peers;
  private final Consumer<List<Directive>> directives;

  InvitationResource(
      final GatewayRouter router,
      final PeerIdentities peers,
      final Consumer<List<Directive>> directives) {
    super("i");
    this.router = router;
    this.peers = peers;
    this.directives = directives;
  }

  @Override
  public Resource getChild(final String name) {
    return this; // the token is the request's, not a resource
  }

  @Override
  public void handlePOST(final CoapExchange exchange) {
    try {
      final List<String> path = exchange.getRequestOptions().getUriPath();
      if (path.size() != 2) {
        CoapCodes.respond(exchange, 400, "POST /i/TOKEN");
        return;
      }
      final Optional<Principal> who =
          peers.login(exchange, Logins.BRIDGED_CLIENT_PREFIX + "i-" + IDS.incrementAndGet());
      if (who.isEmpty()) {
        return;
      }
      final GatewayRequest redeem =
          GatewayRequest.newBuilder()
              .setRedeemInvitation(RedeemInvitation.newBuilder().setUrl(path.get(1)))
              .build();
      final ApiResult result = router.onApi(who.get(), redeem.toByteString());
      directives.accept(result.directives());
      final GatewayResponse response = result.response();
      if (response.getStatus() >= 300) {
        CoapCodes.respond(exchange, response.getStatus(), response.getReason());
        return;
      }
      CoapCodes.respond(
          exchange,
          response.getStatus(),
          response.getRedeemed().toByteArray(),
          MediaTypeRegistry.APPLICATION_OCTET_STREAM);
    } catch (final RuntimeException e) {
      log.error("could not redeem an invitation over CoAP", e);
      CoapCodes.respond(exchange, 500, "the gateway could not redeem the invitation");
    }
  }
}
