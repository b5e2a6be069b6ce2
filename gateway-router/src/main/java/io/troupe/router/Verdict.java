package io.troupe.router;

import java.util.Objects;

/**
 * Whether something a client tried is allowed, and if not, why.
 *
 * @param status {@link Status#OK} when allowed, the refusal's status otherwise
 * @param reason why it was refused; empty when allowed
 */
public record Verdict(Status status, String reason) {

  private static final Verdict ALLOWED = new Verdict(Status.OK, "");

  public Verdict {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
  }

  public static Verdict allowed() {
    return ALLOWED;
  }

  public static Verdict refused(final Status status, final String reason) {
    if (status.isSuccess()) {
      throw new IllegalArgumentException("a refusal needs a failure status, got " + status);
    }
    return new Verdict(status, reason);
  }

  public boolean isAllowed() {
    return status.isSuccess();
  }
}
