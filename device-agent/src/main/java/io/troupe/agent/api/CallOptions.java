package io.troupe.agent.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * Options of one service call. The timeout is also the request's message expiry interval: the
 * gateway's deadline for the whole call, failovers included.
 *
 * @param userProperties further user properties of the request, such as {@code area} (the
 *     consumer's area, which the servers' availability criteria and roles by area are judged
 *     against); {@code method}, {@code path} and {@code session}, where given, win over these
 */
public record CallOptions(
    @NotNull String method,
    @NotNull String path,
    @NotNull String session,
    @NotNull String contentType,
    @NotNull Duration timeout,
    @NotNull Map<String, String> userProperties) {

  public CallOptions {
    userProperties = Map.copyOf(userProperties);
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(contentType, "contentType");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
  }

  /** No method, path or session; a 10 second timeout. */
  public static @NotNull CallOptions defaults() {
    return new CallOptions("", "", "", "", Duration.ofSeconds(10), Map.of());
  }

  public @NotNull CallOptions withMethod(final @NotNull String value) {
    return new CallOptions(value, path, session, contentType, timeout, userProperties);
  }

  public @NotNull CallOptions withPath(final @NotNull String value) {
    return new CallOptions(method, value, session, contentType, timeout, userProperties);
  }

  public @NotNull CallOptions withSession(final @NotNull String value) {
    return new CallOptions(method, path, value, contentType, timeout, userProperties);
  }

  public @NotNull CallOptions withContentType(final @NotNull String value) {
    return new CallOptions(method, path, session, value, timeout, userProperties);
  }

  public @NotNull CallOptions withTimeout(final @NotNull Duration value) {
    return new CallOptions(method, path, session, contentType, value, userProperties);
  }

  /** These options with the user property {@code name} set to {@code value}. */
  public @NotNull CallOptions withUserProperty(
      final @NotNull String name, final @NotNull String value) {
    final Map<String, String> properties = new LinkedHashMap<>(userProperties);
    properties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return new CallOptions(method, path, session, contentType, timeout, properties);
  }
}
