package io.troupe.coap;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import io.troupe.proto.v1.DistributionList;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.router.AccessControl;
import io.troupe.router.Logins;
import io.troupe.router.Principal;
import io.troupe.router.Verdict;
import java.util.Optional;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.observe.ObserveRelation;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A message the gateway retains on MQTT, for whoever may subscribe to its topic over MQTT (the
 * community's members and admins): {@code /c/{community}/svc/{service}/servers}, a service's
 * distribution list, and {@code /c/{community}/status/{device}}, a device's status. Observable (RFC
 * 7641), with a notification whenever the retained message changes. The body is the protobuf
 * message (Content-Format 42), or its JSON (50) when Accept asks for it, encoded once per version
 * of the message whatever the number of observers; any other Accept is 4.06.
 *
 * <p>Observations are bounded per identity, per peer address and in all ({@link Observers}): an
 * observe request beyond a bound is answered 5.03 with Max-Age {@value #RETRY_AFTER_S} and the
 * bound as the reason, and is not established.
 */
class RetainedResource extends CoapResource {

  /** protobuf's canonical JSON mapping, compact: what Content-Format 50 carries. */
  static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

  private static final Logger log = LoggerFactory.getLogger(RetainedResource.class);

  /** The client id of observers: a subscription's rule does not depend on it. */
  private static final String OBSERVER = Logins.BRIDGED_CLIENT_PREFIX + "coap-observer";

  /** The Max-Age of a refused observation: when to try again. */
  static final long RETRY_AFTER_S = 30;

  /** What a topic retains. */
  enum Kind {
    SERVERS("no distribution list"),
    STATUS("no status");

    private final String missing;

    Kind(final String missing) {
      this.missing = missing;
    }

    MessageOrBuilder parse(final byte[] payload) throws InvalidProtocolBufferException {
      return this == SERVERS
          ? DistributionList.parseFrom(payload)
          : StatusMessage.parseFrom(payload);
    }
  }

  private final String topic;
  private final Kind kind;
  private final AccessControl access;
  private final PeerIdentities peers;
  private final RetainedTopics retained;
  private final Observers observers;
  private final @Nullable Resource writes;

  RetainedResource(
      final String name,
      final String topic,
      final Kind kind,
      final AccessControl access,
      final PeerIdentities peers,
      final RetainedTopics retained,
      final Observers observers,
      final @Nullable Resource writes) {
    super(name);
    this.writes = writes;
    this.topic = topic;
    this.kind = kind;
    this.access = access;
    this.peers = peers;
    this.retained = retained;
    this.observers = observers;
    setObservable(true);
  }

  @Override
  public void handlePUT(final CoapExchange exchange) {
    write(exchange);
  }

  @Override
  public void handlePOST(final CoapExchange exchange) {
    write(exchange);
  }

  private void write(final CoapExchange exchange) {
    if (writes == null) {
      CoapCodes.respond(exchange, 405);
    } else {
      writes.handleRequest(exchange.advanced());
    }
  }

  @Override
  public void handleGET(final CoapExchange exchange) {
    try {
      final Optional<Principal> who = peers.login(exchange, OBSERVER);
      if (who.isEmpty()) {
        return;
      }
      final Verdict may = access.maySubscribe(who.get(), topic); // the same rule as over MQTT
      if (!may.isAllowed()) {
        CoapCodes.respond(exchange, may.status().code(), may.reason());
        return;
      }
      final int accept = exchange.getRequestOptions().getAccept();
      if (accept != MediaTypeRegistry.UNDEFINED
          && accept != MediaTypeRegistry.APPLICATION_OCTET_STREAM
          && accept != MediaTypeRegistry.APPLICATION_JSON) {
        CoapCodes.respond(exchange, 406, "Accept 42 (protobuf) or 50 (JSON)");
        return;
      }
      final Optional<Representation> current = retained.current(topic);
      if (current.isEmpty()) {
        CoapCodes.respond(exchange, 404, kind.missing);
        return;
      }
      final byte[] body =
          accept == MediaTypeRegistry.APPLICATION_JSON
              ? current.get().json(kind)
              : current.get().payload();
      final Optional<Observers.Refusal> refused = admit(exchange, who.get().identity());
      if (refused.isPresent()) {
        exchange.setMaxAge(RETRY_AFTER_S);
        CoapCodes.respond(exchange, 503, refused.get().reason());
        return;
      }
      CoapCodes.respond(
          exchange,
          200,
          body,
          accept == MediaTypeRegistry.APPLICATION_JSON
              ? MediaTypeRegistry.APPLICATION_JSON
              : MediaTypeRegistry.APPLICATION_OCTET_STREAM);
      settle(exchange.advanced().getRelation());
    } catch (final InvalidProtocolBufferException e) {
      // only the gateway and checked reports are retained here: a bad one is the gateway's fault
      log.warn("a retained message does not parse [topic: {}]", topic, e);
      CoapCodes.respond(exchange, 500, "the retained message cannot be read as JSON");
    } catch (final RuntimeException e) {
      log.warn("could not answer for a retained message [topic: {}]", topic, e);
      CoapCodes.respond(exchange, 503, "the retained message cannot be read now");
    }
  }

  /**
   * Counts the observation {@code exchange} asks to establish, if it asks for one (a notification
   * of an established one, or a plain GET, is not counted again).
   */
  private Optional<Observers.Refusal> admit(final CoapExchange exchange, final String identity) {
    final ObserveRelation relation = exchange.advanced().getRelation();
    if (relation == null || relation.isEstablished()) {
      return Optional.empty();
    }
    return observers.admit(relation, identity, exchange.getSourceAddress());
  }

  /** An observation admitted but not established by the answer (it failed to send) is released. */
  private void settle(final @Nullable ObserveRelation relation) {
    if (relation != null && (!relation.isEstablished() || relation.isCanceled())) {
      observers.release(relation);
    }
  }

  @Override
  public void removeObserveRelation(final ObserveRelation relation) {
    super.removeObserveRelation(relation);
    observers.release(relation);
  }
}
