package io.troupe.agent.internal.content;

import io.troupe.agent.api.CallOptions;
import io.troupe.agent.api.CallResult;
import io.troupe.agent.api.TroupeException;
import io.troupe.agent.internal.Calls;
import io.troupe.agent.internal.Incoming;
import io.troupe.agent.internal.MqttSession;
import io.troupe.contract.Topics;
import io.troupe.contract.content.SyncFetch;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sync fetches over the agent's MQTT session: an ordinary MQTT 5 request to the service's address
 * ({@code {root}/s/{address}}), as the device itself, with the {@link SyncFetch} properties and an
 * empty body, expiring with the chunk's deadline; answered in the device's own response namespace.
 */
final class MqttChunkTransport implements ChunkTransport {

  /** How much longer than the chunk's deadline to wait, for the gateway's own 504 to arrive. */
  private static final Duration ANSWER_MARGIN = Duration.ofMillis(500);

  /** How long a request the broker refused waits for the gateway's answer with its status. */
  private static final Duration REFUSAL_GRACE = Duration.ofSeconds(1);

  private final MqttSession session;
  private final Topics topics;
  private final String clientId;
  private final Duration deadline;

  MqttChunkTransport(
      final MqttSession session,
      final Topics topics,
      final String clientId,
      final Duration deadline) {
    this.session = session;
    this.topics = topics;
    this.clientId = clientId;
    this.deadline = deadline;
  }

  @Override
  public CompletableFuture<Chunk> fetch(final ChunkRequest r) {
    CallOptions options =
        CallOptions.defaults()
            .withTimeout(deadline)
            .withUserProperty(SyncFetch.ITEM, r.sha256Hex())
            .withUserProperty(SyncFetch.OFFSET, Long.toString(r.offset()))
            .withUserProperty(SyncFetch.LENGTH, Integer.toString(r.length()));
    if (!r.exclude().isEmpty()) {
      options = options.withUserProperty(SyncFetch.EXCLUDE, String.join(",", r.exclude()));
    }
    try {
      return session
          .request(
              Calls.request(topics, clientId, r.address(), new byte[0], options),
              deadline.plus(ANSWER_MARGIN),
              REFUSAL_GRACE)
          .handle(
              (answer, error) ->
                  error == null ? chunk(answer) : Chunk.failed(status(error), reason(error)));
    } catch (final RuntimeException e) {
      return CompletableFuture.completedFuture(Chunk.failed(500, String.valueOf(e.getMessage())));
    }
  }

  static Chunk chunk(final Incoming answer) {
    final CallResult result = Calls.result(answer);
    OptionalLong size = OptionalLong.empty();
    final String sizeText = answer.userProperties().get(SyncFetch.SIZE);
    if (sizeText != null) {
      try {
        size = OptionalLong.of(Long.parseLong(sizeText.trim()));
      } catch (final NumberFormatException e) {
        // left empty: the fetch refuses an answer without a size
      }
    }
    return new Chunk(
        result.status(), result.reason().orElse(""), result.server(), result.body(), size);
  }

  private static int status(final Throwable error) {
    return unwrap(error) instanceof TroupeException t ? t.status() : 500;
  }

  private static String reason(final Throwable error) {
    return String.valueOf(unwrap(error).getMessage());
  }

  private static Throwable unwrap(final Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }
}
