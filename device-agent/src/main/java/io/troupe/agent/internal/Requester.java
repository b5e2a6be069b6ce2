package io.troupe.agent.internal;

import io.troupe.agent.api.TroupeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * MQTT 5 request/response over a {@link Publisher}: each request gets fresh correlation data, and
 * the first message that carries it back completes the request. Any number may be in flight; each
 * is forgotten when answered, failed or timed out.
 */
public final class Requester {

  private final Publisher publisher;
  private final String idPrefix;
  private final Map<String, CompletableFuture<Incoming>> waiting = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  /**
   * @param idPrefix starts every correlation id (the client id: unique among this broker's clients)
   */
  public Requester(final Publisher publisher, final String idPrefix) {
    this.publisher = publisher;
    this.idPrefix = idPrefix;
  }

  /**
   * Publishes {@code message} with fresh correlation data and completes with the answer. Fails with
   * a {@link TroupeException}: 504 (caused by a {@link TimeoutException}) after {@code timeout};
   * the PUBACK's refusal when the broker refused the publish and no answer came within {@code
   * grace} of it; the publish's own failure at once otherwise.
   */
  public CompletableFuture<Incoming> request(
      final Outgoing message, final Duration timeout, final Duration grace) {
    final String id = idPrefix + ids.incrementAndGet();
    final CompletableFuture<Incoming> answer = new CompletableFuture<>();
    waiting.put(id, answer);
    final Outgoing withId =
        new Outgoing(
            message.topic(),
            message.payload(),
            false,
            message.responseTopic(),
            Optional.of(id.getBytes(StandardCharsets.UTF_8)),
            message.userProperties(),
            message.contentType(),
            message.expirySeconds());
    publisher
        .publish(withId)
        .whenComplete(
            (ok, error) -> {
              if (error == null) {
                return;
              }
              if (grace.isZero() || !PubackRefusal.isRefusal(error)) {
                answer.completeExceptionally(error);
              } else {
                // the broker refused it, and usually answers with a status as well: prefer that
                CompletableFuture.delayedExecutor(grace.toMillis(), TimeUnit.MILLISECONDS)
                    .execute(() -> answer.completeExceptionally(error));
              }
            });
    return answer
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (value, error) -> {
              waiting.remove(id);
              if (error == null) {
                return value;
              }
              throw new CompletionException(failure(error, timeout));
            });
  }

  private static TroupeException failure(final Throwable error, final Duration timeout) {
    final Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof TimeoutException t) {
      return new TroupeException(504, "no answer within " + readable(timeout), t);
    }
    return cause instanceof TroupeException e
        ? e
        : new TroupeException(500, String.valueOf(cause.getMessage()), cause);
  }

  /** Completes the request {@code message} answers; false when it answers none. */
  public boolean complete(final Incoming message) {
    if (message.correlation().isEmpty()) {
      return false;
    }
    final CompletableFuture<Incoming> f =
        waiting.remove(new String(message.correlation().get(), StandardCharsets.UTF_8));
    return f != null && f.complete(message);
  }

  /** How many requests wait for an answer. */
  public int pending() {
    return waiting.size();
  }

  /** Fails every request still waiting with {@code error}. */
  public void failAll(final TroupeException error) {
    waiting.values().forEach(f -> f.completeExceptionally(error));
  }

  private static String readable(final Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
