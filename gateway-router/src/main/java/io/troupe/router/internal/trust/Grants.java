package io.troupe.router.internal.trust;

import io.troupe.proto.v1.Grant;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.KeyAction;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What an identity's grants (R14) let it do. An unscoped identity keeps the rights of its role; a
 * scoped one (created by redeeming an invitation) may call only the services its USE grants name
 * and serve only those its HOST and CLONE grants led to. Checked on every request, against the
 * record as it is now, so a revoked key's grants end at the next request.
 */
public final class Grants {

  private Grants() {}

  /**
   * Why {@code identity} may not call the service at {@code address}, or empty when it may. A
   * missing record (a principal the registry does not know, as a bridged one) is left to the other
   * checks.
   */
  public static Optional<String> callRefusal(final IdentityRecord identity, final String address) {
    if (identity == null || !identity.getScoped() || has(identity, KeyAction.USE, address)) {
      return Optional.empty();
    }
    return Optional.of(
        "'"
            + identity.getName()
            + "' may call only the services its invitations granted"
            + granted(identity, KeyAction.USE));
  }

  /** Why {@code identity} may not serve the service at {@code address}, or empty when it may. */
  public static Optional<String> serveRefusal(final IdentityRecord identity, final String address) {
    if (identity == null
        || !identity.getScoped()
        || has(identity, KeyAction.HOST, address)
        || has(identity, KeyAction.CLONE, address)) {
      return Optional.empty();
    }
    return Optional.of(
        "'"
            + identity.getName()
            + "' may serve only the services its invitations granted"
            + granted(identity, KeyAction.HOST)
            + granted(identity, KeyAction.CLONE));
  }

  /** Whether {@code identity} holds a grant of {@code action} on {@code address}. */
  public static boolean has(
      final IdentityRecord identity, final KeyAction action, final String address) {
    for (final Grant g : identity.getGrantsList()) {
      if (g.getAction() == action && g.getAddress().equals(address)) {
        return true;
      }
    }
    return false;
  }

  /** {@code identity} without the grants of key {@code keyId}. */
  public static IdentityRecord without(final IdentityRecord identity, final String keyId) {
    final IdentityRecord.Builder b = identity.toBuilder().clearGrants();
    identity.getGrantsList().stream()
        .filter(g -> !g.getKeyId().equals(keyId))
        .forEach(b::addGrants);
    return b.build();
  }

  private static String granted(final IdentityRecord identity, final KeyAction action) {
    final String list =
        identity.getGrantsList().stream()
            .filter(g -> g.getAction() == action)
            .map(Grant::getAddress)
            .distinct()
            .collect(Collectors.joining(", "));
    return list.isEmpty() ? "" : " (" + action.name().toLowerCase() + ": " + list + ")";
  }
}
