package io.troupe.agent.api;

import java.util.concurrent.CompletableFuture;
import org.jetbrains.annotations.NotNull;

/**
 * Serves the requests the gateway forwards to this device. Runs on the agent's handler executor,
 * never on the MQTT client's thread. A thrown exception or a failed future is answered 500.
 */
@FunctionalInterface
public interface ServiceHandler {

  @NotNull
  CompletableFuture<ServiceResponse> handle(@NotNull ServiceRequest request);

  /** Answers every request with its own body and content type, status 200. */
  static @NotNull ServiceHandler echo() {
    return request ->
        CompletableFuture.completedFuture(
            ServiceResponse.ok(request.body(), request.contentType()));
  }
}
