package io.troupe.agent.api;

import java.time.Duration;
import java.util.Objects;
import org.jetbrains.annotations.NotNull;

/**
 * Options of one service call. The timeout is also the request's message expiry interval: the
 * gateway's deadline for the whole call, failovers included.
 */
public record CallOptions(
    @NotNull String method,
    @NotNull String path,
    @NotNull String session,
    @NotNull String contentType,
    @NotNull Duration timeout) {

  public CallOptions {
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
    return new CallOptions("", "", "", "", Duration.ofSeconds(10));
  }

  public @NotNull CallOptions withMethod(final @NotNull String value) {
    return new CallOptions(value, path, session, contentType, timeout);
  }

  public @NotNull CallOptions withPath(final @NotNull String value) {
    return new CallOptions(method, value, session, contentType, timeout);
  }

  public @NotNull CallOptions withSession(final @NotNull String value) {
    return new CallOptions(method, path, value, contentType, timeout);
  }

  public @NotNull CallOptions withContentType(final @NotNull String value) {
    return new CallOptions(method, path, session, value, timeout);
  }

  public @NotNull CallOptions withTimeout(final @NotNull Duration value) {
    return new CallOptions(method, path, session, contentType, value);
  }
}
