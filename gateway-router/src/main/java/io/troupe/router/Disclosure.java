package io.troupe.router;

import com.google.common.hash.Hashing;
import com.google.protobuf.ByteString;
import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.DistributionRule;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * What the gateway reveals of a service's servers (R15). A named service shows consumers the server
 * that answered and members the device ids; an anonymous one answers in the service's name only,
 * and one anonymous to all shows members a stable pseudonym per server instead of its id.
 */
final class Disclosure {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SALT_BYTES = 32;

  private Disclosure() {}

  /** A fresh random key for a new service's pseudonyms. */
  static ByteString newSalt() {
    final byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return ByteString.copyFrom(salt);
  }

  /** Whether consumers may learn which server answered (and address it by its own name). */
  static boolean namesServers(final DistributionRule rule) {
    return rule.getAnonymity() == Anonymity.NAMED
        || rule.getAnonymity() == Anonymity.ANONYMITY_UNSPECIFIED;
  }

  /** Whether the other members see pseudonyms instead of device ids. */
  static boolean hidesFromMembers(final DistributionRule rule) {
    return rule.getAnonymity() == Anonymity.ANONYMOUS_TO_ALL;
  }

  /**
   * How {@code device} appears in {@code service}'s distribution list: its id, or, anonymous to
   * all, an HMAC of its id under the service's secret salt: stable across restarts, different in
   * each service, and not to be reversed by trying likely device names.
   */
  static String listed(final Registry.Service service, final String device) {
    if (!hidesFromMembers(service.rule)) {
      return device;
    }
    return "server-"
        + Hashing.hmacSha256(service.pseudonymSalt.toByteArray())
            .hashString(device, StandardCharsets.UTF_8)
            .toString()
            .substring(0, 16);
  }

  /** {@code service}'s rule as members see it: a redirect names what the list shows. */
  static DistributionRule ruleForMembers(final Registry.Service service) {
    final String to = service.rule.getRedirectTo();
    return to.isEmpty()
        ? service.rule
        : service.rule.toBuilder().setRedirectTo(listed(service, to)).build();
  }

  /**
   * The reason a consumer reads when the gateway itself failed the request ({@code reason} names
   * servers: which timed out, which were skipped). An anonymous service says only what happened.
   */
  static String gatewayReason(final Registry.Service service, final int code, final String reason) {
    if (namesServers(service.rule)) {
      return reason;
    }
    return code == Status.TIMEOUT.code()
        ? "no server of the service answered in time"
        : "no server of the service is available";
  }
}
