package io.troupe.agent.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.troupe.agent.api.TroupeException;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Calls {@code {root}/gw/api}: a GatewayRequest out, a GatewayResponse back, failures as
 * exceptions.
 */
public final class GatewayApiClient {

  private final MqttSession session;
  private final Topics topics;
  private final Duration timeout;

  public GatewayApiClient(final MqttSession session, final Topics topics, final Duration timeout) {
    this.session = session;
    this.topics = topics;
    this.timeout = timeout;
  }

  /**
   * Completes with the response when its status is 2xx; else fails with a {@link TroupeException}
   * carrying the response's status and reason, 504 when no answer came within the timeout, or the
   * refusal of the request's PUBACK.
   */
  public CompletableFuture<GatewayResponse> call(final GatewayRequest request) {
    final Outgoing out =
        new Outgoing(
            topics.gatewayApi(),
            request.toByteArray(),
            false,
            Optional.of(topics.response(session.clientId(), "api")),
            Optional.empty(),
            Map.of(),
            "",
            Optional.empty());
    return session
        .request(out, timeout, Duration.ZERO)
        .thenApply(
            message -> {
              final GatewayResponse response;
              try {
                response = GatewayResponse.parseFrom(message.payload());
              } catch (final InvalidProtocolBufferException e) {
                throw new TroupeException(
                    500, "the gateway answered something that is not a GatewayResponse");
              }
              if (response.getStatus() < 200 || response.getStatus() >= 300) {
                throw new TroupeException(response.getStatus(), response.getReason());
              }
              return response;
            });
  }

  /**
   * Waits for {@code future}; rethrows a {@link TroupeException} as itself, a caller's mistake
   * ({@link IllegalArgumentException}, {@link IllegalStateException}) as itself, anything else as a
   * {@link TroupeException} of status 500.
   */
  public static <T> T await(final CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (final ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      while ((cause instanceof CompletionException || cause instanceof ExecutionException)
          && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof TroupeException t) {
        throw t;
      }
      if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) {
        throw (RuntimeException) cause;
      }
      throw new TroupeException(500, String.valueOf(cause), cause);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TroupeException(503, "interrupted");
    }
  }
}
