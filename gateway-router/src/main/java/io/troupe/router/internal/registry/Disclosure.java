package io.troupe.router.internal.registry;

import com.google.common.hash.Hashing;
import com.google.protobuf.ByteString;
import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.router.Status;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * What the gateway reveals of a service's servers (R15). The level is set by the service's rule, by
 * its community and by each server for itself; the strictest applies. A named server shows
 * consumers that it answered and members its device id; one anonymous to consumers is never named
 * to them (the gateway answers in the service's name), and one anonymous to all shows members a
 * stable pseudonym instead of its id.
 */
public final class Disclosure {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SALT_BYTES = 32;

  private Disclosure() {}

  /** A fresh random key for a new service's pseudonyms. */
  static ByteString newSalt() {
    final byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return ByteString.copyFrom(salt);
  }

  /**
   * {@code level}, with the unset or unknown level as NAMED (an unknown one is refused earlier).
   */
  public static Anonymity known(final Anonymity level) {
    return level == Anonymity.ANONYMOUS_TO_CONSUMERS || level == Anonymity.ANONYMOUS_TO_ALL
        ? level
        : Anonymity.NAMED;
  }

  /** The stricter of two levels. */
  static Anonymity stricter(final Anonymity a, final Anonymity b) {
    return known(a).getNumber() >= known(b).getNumber() ? known(a) : known(b);
  }

  /** The level of {@code service} as a whole: the strictest of its rule and its community. */
  public static Anonymity level(final Service service) {
    return stricter(service.rule().getAnonymity(), service.community().anonymity());
  }

  /** The level of {@code device} in {@code service}: the service's, or the server's if stricter. */
  public static Anonymity level(final Service service, final String device) {
    final ServerEntry entry = service.servers().get(device);
    return entry == null ? level(service) : stricter(level(service), entry.anonymity());
  }

  /** Whether consumers may learn that {@code device} answered (and address it by its own name). */
  public static boolean namesServer(final Service service, final String device) {
    return level(service, device) == Anonymity.NAMED;
  }

  /** Whether consumers may learn every server of {@code service}: none asks to be anonymous. */
  static boolean namesEveryServer(final Service service) {
    return service.servers().keySet().stream().allMatch(d -> namesServer(service, d));
  }

  /**
   * How {@code device} appears to the other members in {@code service}'s distribution list: its id,
   * or, anonymous to all, an HMAC of its id under the service's secret salt: stable across
   * restarts, different in each service, and not to be reversed by trying likely device names.
   */
  public static String listed(final Service service, final String device) {
    if (level(service, device) != Anonymity.ANONYMOUS_TO_ALL) {
      return device;
    }
    return pseudonym(service, device);
  }

  private static String pseudonym(final Service service, final String device) {
    return "server-"
        + Hashing.hmacSha256(service.pseudonymSalt().toByteArray())
            .hashString(device, StandardCharsets.UTF_8)
            .toString()
            .substring(0, 16);
  }

  /**
   * How {@code device} appears to consumers of {@code service}: its id where consumers may learn
   * it, its pseudonym otherwise.
   */
  static String shownToConsumers(final Service service, final String device) {
    return namesServer(service, device) ? device : pseudonym(service, device);
  }

  /**
   * {@code service}'s descriptor as its members see it (a sync or install directive): the device it
   * came from named as the distribution list names it. Null when it has none.
   */
  public static ServiceDescriptor descriptorForMembers(final Service service) {
    final ServiceDescriptor d = service.descriptor();
    return d == null || d.getDeviceId().isEmpty()
        ? d
        : d.toBuilder().setDeviceId(listed(service, d.getDeviceId())).build();
  }

  /**
   * {@code service}'s descriptor as anyone may see it, a consumer browsing the catalogue included:
   * the device it came from named only where consumers may learn that server. Null when it has
   * none.
   */
  public static ServiceDescriptor descriptorForConsumers(final Service service) {
    final ServiceDescriptor d = service.descriptor();
    return d == null || d.getDeviceId().isEmpty()
        ? d
        : d.toBuilder().setDeviceId(shownToConsumers(service, d.getDeviceId())).build();
  }

  /**
   * Whether a viewer who is not {@code community}'s owner (nor an admin) may learn who owns it: the
   * owner is a device that serves, or may serve, its services, so it is named only where none of
   * them hides it from that viewer (anonymous to consumers hides it from non-members, anonymous to
   * all from members too).
   */
  public static boolean showsOwner(final Community community, final boolean toMember) {
    final Anonymity hiding =
        toMember ? Anonymity.ANONYMOUS_TO_ALL : Anonymity.ANONYMOUS_TO_CONSUMERS;
    if (known(community.anonymity()).getNumber() >= hiding.getNumber()) {
      return false;
    }
    for (final Service s : community.services().values()) {
      if (level(s, community.owner()).getNumber() >= hiding.getNumber()) {
        return false;
      }
    }
    return true;
  }

  /** Whether a service of {@code community}, or one of its servers, hides servers from members. */
  public static boolean hidesServersFromMembers(final Community community) {
    if (known(community.anonymity()) == Anonymity.ANONYMOUS_TO_ALL) {
      return true;
    }
    for (final Service s : community.services().values()) {
      if (level(s) == Anonymity.ANONYMOUS_TO_ALL
          || s.servers().keySet().stream()
              .anyMatch(d -> level(s, d) == Anonymity.ANONYMOUS_TO_ALL)) {
        return true;
      }
    }
    return false;
  }

  /** {@code service}'s rule as members see it: a redirect names what the list shows. */
  public static DistributionRule ruleForMembers(final Service service) {
    final String to = service.rule().getRedirectTo();
    return to.isEmpty()
        ? service.rule()
        : service.rule().toBuilder().setRedirectTo(listed(service, to)).build();
  }

  /**
   * {@code service}'s rule as anyone may see it, a consumer browsing included: a redirect to a
   * server that consumers may not learn names its pseudonym.
   */
  public static DistributionRule ruleForConsumers(final Service service) {
    final String to = service.rule().getRedirectTo();
    return to.isEmpty() || namesServer(service, to)
        ? service.rule()
        : service.rule().toBuilder().setRedirectTo(shownToConsumers(service, to)).build();
  }

  /**
   * The reason a consumer reads when the gateway itself failed the request ({@code reason} names
   * servers: which timed out, which were skipped). Where any server is anonymous to consumers, it
   * says only what happened.
   */
  public static String gatewayReason(final Service service, final int code, final String reason) {
    if (namesEveryServer(service)) {
      return reason;
    }
    return code == Status.TIMEOUT.code()
        ? "no server of the service answered in time"
        : "no server of the service is available";
  }
}
