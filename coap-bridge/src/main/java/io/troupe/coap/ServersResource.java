package io.troupe.coap;

import io.troupe.router.AccessControl;
import io.troupe.router.Logins;
import io.troupe.router.Principal;
import io.troupe.router.Verdict;
import java.util.Optional;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /c/{community}/svc/{service}/servers}: the service's distribution list (the protobuf
 * {@code DistributionList} the gateway retains on MQTT), for whoever may subscribe to it over MQTT
 * (the community's members and admins); observable (RFC 7641), with a notification whenever the
 * gateway publishes a new one.
 */
final class ServersResource extends CoapResource {

  private static final Logger log = LoggerFactory.getLogger(ServersResource.class);

  /** The client id of observers: a subscription's rule does not depend on it. */
  private static final String OBSERVER = Logins.BRIDGED_CLIENT_PREFIX + "coap-observer";

  private final String topic;
  private final AccessControl access;
  private final Logins logins;
  private final PeerIdentities peers;
  private final ServerLists lists;

  ServersResource(
      final String topic,
      final AccessControl access,
      final Logins logins,
      final PeerIdentities peers,
      final ServerLists lists) {
    super("servers");
    this.topic = topic;
    this.access = access;
    this.logins = logins;
    this.peers = peers;
    this.lists = lists;
    setObservable(true);
  }

  @Override
  public void handleGET(final CoapExchange exchange) {
    try {
      final Optional<Principal> who =
          peers.identityOf(exchange.advanced()).flatMap(i -> logins.bridged(i, OBSERVER));
      if (who.isEmpty()) {
        exchange.respond(
            ResponseCode.UNAUTHORIZED, "not authenticated", MediaTypeRegistry.TEXT_PLAIN);
        return;
      }
      final Verdict may = access.maySubscribe(who.get(), topic); // the same rule as over MQTT
      if (!may.isAllowed()) {
        exchange.respond(
            CoapCodes.toCoapCode(may.status().code()), may.reason(), MediaTypeRegistry.TEXT_PLAIN);
        return;
      }
      final Optional<byte[]> list = lists.current(topic);
      if (list.isEmpty()) {
        exchange.respond(
            ResponseCode.NOT_FOUND, "no distribution list", MediaTypeRegistry.TEXT_PLAIN);
        return;
      }
      exchange.respond(
          ResponseCode.CONTENT, list.get(), MediaTypeRegistry.APPLICATION_OCTET_STREAM);
    } catch (final RuntimeException e) {
      log.warn("could not answer for a distribution list [topic: {}]", topic, e);
      exchange.respond(
          ResponseCode.SERVICE_UNAVAILABLE,
          "the distribution list cannot be read now",
          MediaTypeRegistry.TEXT_PLAIN);
    }
  }
}
