package io.troupe.coap;

import io.troupe.router.Decision;
import io.troupe.router.Logins;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CoAP exchanges waiting for the router's answer, each under the bridged client id its request
 * was given: the router answers exactly once per request, so each is answered and forgotten once,
 * and the timer that would have acknowledged it if slow is cancelled then.
 */
final class PendingExchanges {

  private static final Logger log = LoggerFactory.getLogger(PendingExchanges.class);

  private final Map<String, Waiting> byClientId = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  // Differs between runs, so that a late answer for a request of an earlier run matches nothing.
  private final String run = Long.toString(System.nanoTime() & 0xFFFFFFL, 36);

  /** A new client id for one request, unique in this bridge's run. */
  String nextClientId() {
    return Logins.BRIDGED_CLIENT_PREFIX + "coap-" + run + "-" + sequence.incrementAndGet();
  }

  void put(final String clientId, final CoapExchange exchange) {
    byClientId.put(clientId, new Waiting(exchange));
  }

  /**
   * {@code timer} acknowledges the exchange of {@code clientId} if its answer is slow: cancelled
   * when the answer comes, rather than firing later for nothing (or at once, if it has come
   * already).
   */
  void acknowledgeBy(final String clientId, final Future<?> timer) {
    final Waiting waiting = byClientId.get(clientId);
    if (waiting == null) {
      timer.cancel(false);
      return;
    }
    waiting.timer = timer;
    if (!byClientId.containsKey(clientId)) {
      timer.cancel(false); // answered meanwhile
    }
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
    final Waiting waiting = byClientId.remove(answer.clientId());
    if (waiting == null) {
      log.debug("dropped an answer nobody waits for [client: {}]", answer.clientId());
      return true;
    }
    final Future<?> timer = waiting.timer;
    if (timer != null) {
      timer.cancel(false);
    }
    log.debug("answered a CoAP request [client: {}, status: {}]", answer.clientId(), answer.code());
    final CoapExchange exchange = waiting.exchange;
    exchange.respond(RequestTranslator.toResponse(answer, exchange.getRequestCode()));
    return true;
  }

  /** An exchange, and the timer that acknowledges it if its answer is slow, once armed. */
  private static final class Waiting {
    final CoapExchange exchange;
    volatile @Nullable Future<?> timer;

    Waiting(final CoapExchange exchange) {
      this.exchange = exchange;
    }
  }
}
