package io.troupe.router.internal.routing;

import io.troupe.router.internal.devices.Presence;
import io.troupe.router.internal.devices.ReportedStatus;
import io.troupe.router.internal.devices.ServerState;
import io.troupe.router.internal.devices.ServerStates;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.ServerEntry;
import io.troupe.router.internal.registry.Service;
import java.time.Duration;

/**
 * The servers of a service as {@link ServerChoice} looks at them: each one frozen for a decision
 * ({@link #candidate}), the service's {@link ServerRanking} kept up to date as servers change, and
 * the reason of a 503 when none is usable.
 */
public final class Candidates {

  /** How many usable servers a WEIGHTED decision draws among. */
  static final int WEIGHTED_SHORTLIST = DistributionOrder.WEIGHTED_SHORTLIST;

  private Candidates() {}

  /** The ranking of {@code s}, built again when its registration or rule changed since. */
  static ServerRanking ranking(
      final Service s, final ServerStates servers, final long nowMs, final Duration statusTimeout) {
    final ServerRanking current = (ServerRanking) s.ranking();
    if (current != null
        && current.epoch == s.community().epoch()
        && current.order == DistributionOrder.of(s.rule().getOrder())) {
      return current;
    }
    final ServerRanking built =
        new ServerRanking(DistributionOrder.of(s.rule().getOrder()), s.community().epoch());
    int seq = 0;
    for (final ServerEntry e : s.servers().values()) {
      final Candidate c = candidate(e, servers.get(e.device()), nowMs, statusTimeout);
      built.put(c, seq++, AreaRoleStage.dependsOnArea(c));
    }
    s.keepRanking(built);
    return built;
  }

  /**
   * {@code device}'s state changed: it moves in the ranking of each service it serves (a ranking
   * out of date is left to be built again at its next use).
   */
  public static void moved(
      final Registry registry,
      final String device,
      final ServerState state,
      final long nowMs,
      final Duration statusTimeout) {
    for (final Service s : registry.servingView(device)) {
      final ServerRanking r = (ServerRanking) s.ranking();
      final ServerEntry e = s.servers().get(device);
      if (r != null && e != null && r.epoch == s.community().epoch()) {
        final Candidate c = candidate(e, state, nowMs, statusTimeout);
        r.update(c, AreaRoleStage.dependsOnArea(c));
      }
    }
  }

  /**
   * The reason of a 503 from the explanation {@code e} of the last choice for {@code p}: a redirect
   * names its target and why it is unusable, rather than the request being served elsewhere.
   */
  public static String unavailable(final PendingRequest p, final Explanation e) {
    final String redirect = p.onlyDevice == null ? p.service.rule().getRedirectTo() : "";
    if (!redirect.isEmpty()) {
      final String why =
          e.skipped().stream()
              .filter(s -> s.server().equals(redirect))
              .map(Explanation.Skip::reason)
              .findFirst()
              .orElse("it does not serve the service");
      return "'"
          + p.request.address()
          + "' is redirected to "
          + redirect
          + ", which is unusable: "
          + why;
    }
    return "no server available for '" + p.request.address() + "': " + e.summary();
  }

  static Candidate candidate(
      final ServerEntry e,
      final ServerState state,
      final long nowMs,
      final Duration statusTimeout) {
    if (state == null) {
      return new Candidate(
          e.device(), e.role(), e.isEnabled(), Presence.DEAD, false, 0, ReportedStatus.NONE, 0);
    }
    return new Candidate(
        e.device(),
        e.role(),
        e.isEnabled(),
        state.presence(nowMs, statusTimeout),
        state.hasCapacity(),
        state.inProgress(),
        state.reported(),
        state.lastSent());
  }
}
