package io.troupe.agent.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * A consumer's request as the gateway forwarded it to this device.
 *
 * @param requestId the gateway's id; the same on a retry, so a repeat can be recognised
 * @param attempt 1 for the first server tried, more when this device is a failover target
 * @param service the service's name
 * @param address the address the consumer called
 * @param method the consumer's {@code method} user property, or empty
 * @param path the consumer's {@code path} user property, or empty
 * @param body the request body
 * @param contentType the request's content type, or empty
 * @param session the consumer's {@code session}, or empty
 * @param consumer the consumer's identity, or empty where it is anonymous to servers
 * @param properties the consumer's other user properties
 * @param deadline when the consumer stops waiting; {@link Instant#MAX} when it set no deadline
 */
public record ServiceRequest(
    @NotNull String requestId,
    int attempt,
    @NotNull String service,
    @NotNull String address,
    @NotNull String method,
    @NotNull String path,
    byte @NotNull [] body,
    @NotNull String contentType,
    @NotNull String session,
    @NotNull String consumer,
    @NotNull Map<String, String> properties,
    @NotNull Instant deadline) {

  public ServiceRequest {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    body = body.clone();
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(consumer, "consumer");
    properties = Map.copyOf(properties);
    Objects.requireNonNull(deadline, "deadline");
  }

  @Override
  public byte @NotNull [] body() {
    return body.clone();
  }
}
