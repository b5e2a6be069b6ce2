package io.troupe.router.internal.trust;

import io.troupe.contract.Invitations;
import io.troupe.proto.v1.KeyRecord;
import io.troupe.proto.v1.Redemption;
import io.troupe.router.RouterMetrics;
import io.troupe.router.Status;
import java.util.Map;
import java.util.Optional;

/**
 * Whether an invitation (R14) may be redeemed now: well formed (else 400), built on a key the
 * gateway made under its signing secret (else 403, with the same reason for an unknown key and a
 * bad MAC, so that a guesser learns nothing), a key neither revoked nor expired (410), a nonce not
 * redeemed before (409), and a key not used up (410). The first check that fails decides.
 */
public final class InvitationCheck {

  /** The reason of every forged or tampered invitation. */
  static final String NOT_VALID = "the invitation is not valid";

  private InvitationCheck() {}

  /** What the check found. */
  public sealed interface Outcome {}

  /** The invitation may be redeemed: it was built on {@code key}. */
  public record Valid(KeyRecord key, Invitations.Token token) implements Outcome {}

  /** The invitation may not be redeemed, with the status and reason to answer. */
  public record Refused(Status status, String reason, RouterMetrics.KeyRefusal why)
      implements Outcome {}

  /**
   * Checks {@code urlOrToken} against the {@code keys} the gateway keeps, under {@code
   * invitations}' signing secret, at {@code nowMs}.
   */
  public static Outcome check(
      final Invitations invitations,
      final Map<String, KeyRecord> keys,
      final String urlOrToken,
      final long nowMs) {
    final Optional<Invitations.Token> parsed = Invitations.parse(urlOrToken);
    if (parsed.isEmpty()) {
      return new Refused(
          Status.BAD_REQUEST,
          "not an invitation: expected troupe://HOST/i/KEYID.NONCE.MAC or the token alone",
          RouterMetrics.KeyRefusal.MALFORMED);
    }
    final Invitations.Token token = parsed.get();
    final KeyRecord key = keys.get(token.keyId());
    // the MAC is checked even for an unknown key id, so both take the same time
    final boolean authentic = invitations.verifies(token);
    if (key == null || !authentic) {
      return new Refused(Status.FORBIDDEN, NOT_VALID, RouterMetrics.KeyRefusal.FORGED);
    }
    if (key.getRevoked()) {
      return new Refused(
          Status.GONE, "the invitation's key was revoked", RouterMetrics.KeyRefusal.REVOKED);
    }
    if (nowMs >= key.getExpiresAtMs()) {
      return new Refused(
          Status.GONE, "the invitation's key expired", RouterMetrics.KeyRefusal.EXPIRED);
    }
    for (final Redemption r : key.getRedemptionsList()) {
      if (r.getNonce().equals(token.nonce())) {
        return new Refused(
            Status.CONFLICT,
            "the invitation was redeemed already",
            RouterMetrics.KeyRefusal.REPLAYED);
      }
    }
    if (key.getRedemptionsCount() >= key.getUses()) {
      return new Refused(
          Status.GONE,
          "the invitation's key is used up (" + key.getUses() + " redemptions)",
          RouterMetrics.KeyRefusal.USED_UP);
    }
    return new Valid(key, token);
  }

  /** Whether {@code key} is live at {@code nowMs}: neither revoked nor expired. */
  public static boolean isLive(final KeyRecord key, final long nowMs) {
    return !key.getRevoked() && nowMs < key.getExpiresAtMs();
  }
}
