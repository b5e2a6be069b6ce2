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

  /** Completes with the response when its status is 2xx, else with a {@link TroupeException}. */
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
        .request(out, timeout)
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

  /** Waits for {@code future}; rethrows a {@link TroupeException} as itself. */
  public static <T> T await(final CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (final ExecutionException | CompletionException e) {
      final Throwable cause =
          e.getCause() instanceof CompletionException c && c.getCause() != null
              ? c.getCause()
              : e.getCause();
      if (cause instanceof TroupeException t) {
        throw t;
      }
      throw new TroupeException(500, String.valueOf(cause), cause);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TroupeException(503, "interrupted");
    }
  }
}
