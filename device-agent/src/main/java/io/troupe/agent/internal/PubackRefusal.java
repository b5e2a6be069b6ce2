package io.troupe.agent.internal;

import io.troupe.agent.api.TroupeException;
import java.util.Optional;

/**
 * The broker refused a QoS 1 publish in its PUBACK. It is the cause of the {@link TroupeException}
 * the publish fails with, so a caller can tell a refusal (the broker saw the message) from a
 * publish that never left.
 */
public final class PubackRefusal extends Exception {

  private static final long serialVersionUID = 1L;

  private final int reasonCode;

  PubackRefusal(final int reasonCode, final String reasonString) {
    super("PUBACK 0x" + Integer.toHexString(reasonCode) + " " + reasonString);
    this.reasonCode = reasonCode;
  }

  /** The MQTT 5 PUBACK reason code, 0x80 or more. */
  public int reasonCode() {
    return reasonCode;
  }

  /** Whether {@code error} is, or is caused by, a PUBACK refusal. */
  public static boolean isRefusal(final Throwable error) {
    return find(error).isPresent();
  }

  static Optional<PubackRefusal> find(final Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof PubackRefusal r) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * The failure for a refused publish. The Troupe gateway's reason strings start with the status
   * ({@code "404 no such service address"}); any other broker's code is mapped the way the gateway
   * maps statuses to codes.
   */
  public static TroupeException toException(final int reasonCode, final String reasonString) {
    final String reason = reasonString == null ? "" : reasonString.trim();
    int status = statusOf(reasonCode);
    String why = reason;
    if (reason.length() >= 3 && reason.substring(0, 3).chars().allMatch(Character::isDigit)) {
      final int leading = Integer.parseInt(reason.substring(0, 3));
      if (leading >= 100 && leading <= 599 && (reason.length() == 3 || reason.charAt(3) == ' ')) {
        status = leading;
        why = reason.substring(3).trim();
      }
    }
    if (why.isEmpty()) {
      why = "refused by the broker (PUBACK 0x" + Integer.toHexString(reasonCode) + ")";
    }
    return new TroupeException(status, why, new PubackRefusal(reasonCode, reason));
  }

  private static int statusOf(final int reasonCode) {
    return switch (reasonCode) {
      case 0x87 -> 403; // not authorized
      case 0x90 -> 404; // topic name invalid: the gateway's "no such address"
      case 0x97 -> 429; // quota exceeded
      case 0x83, 0x99 -> 400; // implementation specific error, payload format invalid
      default -> 500;
    };
  }
}
