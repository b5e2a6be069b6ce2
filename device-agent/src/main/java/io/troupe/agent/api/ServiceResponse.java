package io.troupe.agent.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * A device's answer to a {@link ServiceRequest}.
 *
 * @param status HTTP-style code; 503 makes the gateway try the next server
 * @param body the answer body
 * @param contentType its content type, or empty
 * @param properties user properties passed on to the consumer ({@code reason} among them)
 */
public record ServiceResponse(
    int status,
    byte @NotNull [] body,
    @NotNull String contentType,
    @NotNull Map<String, String> properties) {

  public ServiceResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be 100 to 599, got " + status);
    }
    body = body.clone();
    Objects.requireNonNull(contentType, "contentType");
    properties = Map.copyOf(properties);
  }

  @Override
  public byte @NotNull [] body() {
    return body.clone();
  }

  /** 200 with {@code body}. */
  public static @NotNull ServiceResponse ok(
      final byte @NotNull [] body, final @NotNull String contentType) {
    return new ServiceResponse(200, body, contentType, Map.of());
  }

  /** An answer with no body and a {@code reason} for the consumer. */
  public static @NotNull ServiceResponse error(final int status, final @NotNull String reason) {
    return new ServiceResponse(
        status,
        reason.getBytes(StandardCharsets.UTF_8),
        "text/plain; charset=utf-8",
        Map.of("reason", reason));
  }
}
