package io.troupe.agent.cli;

import io.troupe.agent.api.TroupeException;
import io.troupe.agent.internal.GatewayApiClient;
import java.util.concurrent.CompletableFuture;

/** Something a command tried failed with a status: one line on stderr, an exit code from it. */
final class Failed extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String what;
  private final int status;
  private final String reason;

  Failed(final String what, final int status, final String reason) {
    super(line(what, status, reason));
    this.what = what;
    this.status = status;
    this.reason = reason;
  }

  /** Waits for {@code future}; a {@link TroupeException} becomes a failure of {@code what}. */
  static <T> T attempt(final String what, final CompletableFuture<T> future) {
    try {
      return GatewayApiClient.await(future);
    } catch (final TroupeException e) {
      throw new Failed(what, e.status(), e.reason());
    }
  }

  /** {@code troupe: <what> (status N: reason)}. */
  static String line(final String what, final int status, final String reason) {
    return "troupe: "
        + what
        + " (status "
        + status
        + (reason == null || reason.isEmpty() ? "" : ": " + reason)
        + ")";
  }

  String line() {
    return line(what, status, reason);
  }

  int exitCode() {
    return ExitCodes.forStatus(status);
  }
}
