package io.troupe.router;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a login: the principal, or a refusal with its status and reason.
 *
 * <p>Statuses: 401 bad or missing user name or password (unknown names read alike); 400 a client id
 * that is not a topic level, or a device's that is not a name; 403 a client id bound to another
 * identity; 400 a client id longer than allowed; 409 the identity holds as many client ids as it
 * may, each of a connected session; 503 the gateway holds as many client ids as it may; 429 backed
 * off after failed logins (the reason says when to retry); 503 too many logins being checked at
 * once; 500 the check failed.
 *
 * @param principal who logged in; empty when refused
 * @param status {@link Status#OK} when admitted
 * @param reason why it was refused; empty when admitted
 * @param newBinding whether the client id was bound to the identity by this login
 */
public record LoginResult(
    Optional<Principal> principal, Status status, String reason, boolean newBinding) {

  public LoginResult {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
  }

  static LoginResult admitted(final Principal principal, final boolean newBinding) {
    return new LoginResult(Optional.of(principal), Status.OK, "", newBinding);
  }

  static LoginResult refused(final Status status, final String reason) {
    return new LoginResult(Optional.empty(), status, reason, false);
  }

  public boolean isAdmitted() {
    return principal.isPresent();
  }
}
