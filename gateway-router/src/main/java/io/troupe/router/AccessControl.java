package io.troupe.router;

import io.troupe.contract.TopicKind;
import io.troupe.contract.Topics;

/**
 * Who may publish and subscribe where (DESIGN.md, topic contract). Only the gateway writes to
 * {@code /d/}, {@code /r/} and reply topics; a device reports only as itself, in communities it
 * belongs to; a consumer reads only its own response namespace.
 */
public final class AccessControl {

  /** Whether an identity belongs to a community: what subscriptions are checked against. */
  @FunctionalInterface
  public interface Members {
    boolean isMember(String community, String identity);

    /**
     * Whether {@code identity}, a member, may learn which devices are in {@code community}: its
     * status and descriptor topics name them. Where a service hides its servers from members (R15)
     * only the owner may. Every member may unless this says otherwise.
     */
    default boolean seesDevices(final String community, final String identity) {
      return true;
    }
  }

  private final Topics topics;
  private final Members members;

  /** Checks under {@code topics}, with membership from {@code members} (the router's). */
  public AccessControl(final Topics topics, final Members members) {
    this.topics = topics;
    this.members = java.util.Objects.requireNonNull(members, "members");
  }

  /**
   * Whether the gateway may answer {@code who} on {@code responseTopic}: there must be one (400),
   * and it must lie in the client's own namespace {@code {root}/r/{clientId}/} (403), so that no
   * answer ever goes where the client could not subscribe.
   */
  public static Verdict answerableAt(
      final Topics topics, final Principal who, final java.util.Optional<String> responseTopic) {
    if (responseTopic.isEmpty()) {
      return Verdict.refused(Status.BAD_REQUEST, "a request needs an MQTT 5 response topic");
    }
    if (!topics.isInResponseNamespace(responseTopic.get(), who.clientId())) {
      return Verdict.refused(
          Status.FORBIDDEN,
          "the response topic must lie in " + topics.responsePrefix(who.clientId()));
    }
    return Verdict.allowed();
  }

  /** {@link #answerableAt} under this gateway's topic root. */
  public Verdict answerableAt(final Principal who, final java.util.Optional<String> responseTopic) {
    return answerableAt(topics, who, responseTopic);
  }

  public static Verdict mayReportAs(
      final Principal who, final String device, final boolean member) {
    if (!who.isDevice() || !who.identity().equals(device)) {
      return Verdict.refused(
          Status.FORBIDDEN, "'" + who.clientId() + "' may not report for device '" + device + "'");
    }
    if (!member) {
      return Verdict.refused(Status.FORBIDDEN, "'" + device + "' is not a member of the community");
    }
    return Verdict.allowed();
  }

  /**
   * Whether {@code who} may subscribe to {@code filter}: its own response namespace; a device
   * session its own inbox; a member its community's topics. An admin may also use topics outside
   * the root.
   */
  public Verdict maySubscribe(final Principal who, final String filter) {
    if (filter.startsWith(topics.responsePrefix(who.clientId()))) {
      return Verdict.allowed();
    }
    if (who.isDevice() && filter.startsWith(topics.deviceInbox(who.identity()).replace("#", ""))) {
      return Verdict.allowed();
    }
    final String communities = topics.root() + "/c/";
    if (filter.startsWith(communities)) {
      final int end = filter.indexOf('/', communities.length());
      final String community = end < 0 ? "" : filter.substring(communities.length(), end);
      if (!community.isEmpty() && (who.isAdmin() || members.isMember(community, who.identity()))) {
        return who.isAdmin()
                || members.seesDevices(community, who.identity())
                || namesNoOtherDevice(filter.substring(end + 1), who.identity())
            ? Verdict.allowed()
            : Verdict.refused(
                Status.FORBIDDEN,
                "a service of '"
                    + community
                    + "' hides its servers from members: subscribe to '.../svc/{service}/servers'"
                    + " or your own status and descriptor topics, not '"
                    + filter
                    + "'");
      }
      return Verdict.refused(
          Status.FORBIDDEN, "only members subscribe to a community's topics: '" + filter + "'");
    }
    if (who.isAdmin()
        && !filter.startsWith(topics.root() + "/")
        && !filter.startsWith("#")
        && !filter.startsWith("+")
        && !filter.startsWith("$")) {
      return Verdict.allowed();
    }
    return Verdict.refused(
        Status.FORBIDDEN,
        "'" + who.clientId() + "' may subscribe only to " + topics.responseFilter(who.clientId()));
  }

  /**
   * Whether a filter below a community ({@code rest}) matches no topic that names a device other
   * than {@code self}: a service's distribution list, or {@code self}'s own status or descriptor.
   */
  private static boolean namesNoOtherDevice(final String rest, final String self) {
    final String[] levels = rest.split("/", -1);
    final boolean service = levels.length >= 3 && levels[0].equals("svc") && !levels[1].equals("#");
    return (service && levels.length == 3 && levels[2].equals("servers"))
        || (service
            && levels.length == 4
            && levels[2].equals("descriptor")
            && levels[3].equals(self))
        || (levels.length == 2 && levels[0].equals("status") && levels[1].equals(self));
  }

  /**
   * Whether {@code who} may publish to a topic that the gateway does not consume itself (status and
   * descriptors are checked by the router when they arrive). Everything under the root that reaches
   * this is refused; an admin may use topics outside the root.
   */
  public Verdict mayPublishElsewhere(
      final Principal who, final TopicKind kind, final String topic) {
    if (kind instanceof TopicKind.Foreign && who.isAdmin()) {
      return Verdict.allowed();
    }
    if (kind instanceof TopicKind.Invalid invalid) {
      return Verdict.refused(Status.BAD_REQUEST, invalid.reason());
    }
    return Verdict.refused(
        Status.FORBIDDEN, "'" + who.clientId() + "' may not publish to '" + topic + "'");
  }
}
