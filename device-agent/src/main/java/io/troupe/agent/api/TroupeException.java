package io.troupe.agent.api;

import org.jetbrains.annotations.NotNull;

/**
 * The gateway or the broker refused something: a gateway API call answered with a failure status, a
 * refused CONNECT (status 403), a request the broker refused in its PUBACK.
 */
public final class TroupeException extends RuntimeException {

  private final int status;
  private final String reason;

  public TroupeException(final int status, final @NotNull String reason) {
    super("status " + status + ": " + reason);
    this.status = status;
    this.reason = reason;
  }

  public TroupeException(final int status, final @NotNull String reason, final Throwable cause) {
    super("status " + status + ": " + reason, cause);
    this.status = status;
    this.reason = reason;
  }

  /** HTTP-style status: 400, 403, 404, 409, 500, 501, 503, 504. */
  public int status() {
    return status;
  }

  public @NotNull String reason() {
    return reason;
  }
}
