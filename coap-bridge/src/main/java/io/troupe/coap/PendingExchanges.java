package io.troupe.coap;

import io.troupe.router.Decision;
import io.troupe.router.Logins;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CoAP exchanges waiting for the router's answer, each under the bridged client id its request
 * was given: the router answers exactly once per request, so each is answered and forgotten once.
 */
final class PendingExchanges {

  private static final Logger log = LoggerFactory.getLogger(PendingExchanges.class);

  private final Map<String, CoapExchange> byClientId = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  // Differs between runs, so that a late answer for a request of an earlier run matches nothing.
  private final String run = Long.toString(System.nanoTime() & 0xFFFFFFL, 36);

  /** A new client id for one request, unique in this bridge's run. */
  String nextClientId() {
    return Logins.BRIDGED_CLIENT_PREFIX + "coap-" + run + "-" + sequence.incrementAndGet();
  }

  void put(final String clientId, final CoapExchange exchange) {
    byClientId.put(clientId, exchange);
  }

  void remove(final String clientId) {
    byClientId.remove(clientId);
  }

  int size() {
    return byClientId.size();
  }

  /**
   * Responds to the exchange {@code answer} is for.
   *
   * @return whether the answer was for a bridged client (answered, or dropped if no longer waited
   *     for); false leaves it to MQTT
   */
  boolean offer(final Decision.Answer answer) {
    if (!Logins.isBridged(answer.clientId())) {
      return false;
    }
    final CoapExchange exchange = byClientId.remove(answer.clientId());
    if (exchange == null) {
      log.debug("dropped an answer nobody waits for [client: {}]", answer.clientId());
      return true;
    }
    log.debug("answered a CoAP request [client: {}, status: {}]", answer.clientId(), answer.code());
    exchange.respond(RequestTranslator.toResponse(answer, exchange.getRequestCode()));
    return true;
  }
}
