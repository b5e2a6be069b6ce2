package io.troupe.router;

import io.troupe.proto.v1.StatusMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the next server for a request by running the routing stages in order: filters first (the
 * target of a named address or redirect, already tried, enabled, role, presence, capacity,
 * availability criteria, suspected behind alive), then orders (the rule's order by role, least
 * loaded, then session stickiness). The first candidate left is chosen. A new rule is a new stage.
 */
final class Candidates {

  static final List<RoutingStage> STAGES =
      List.of(
          new TargetFilter(),
          new TriedFilter(),
          new EnabledFilter(),
          new RoleFilter(),
          new PresenceFilter(),
          new CapacityFilter(),
          new CriteriaFilter(),
          new SuspectedFilter(),
          new RuleOrder(),
          new LeastLoadedOrder(),
          new StickinessOrder());

  /** The server chosen, if any, and why. */
  record Choice(Optional<String> server, Explanation explanation) {}

  private Candidates() {}

  static Choice next(
      final PendingRequest p,
      final Map<String, ServerState> servers,
      final Sessions sessions,
      final Instant now,
      final Duration statusTimeout) {
    final List<Candidate> all = new ArrayList<>(p.service.servers.size());
    for (final Registry.ServerEntry e : p.service.servers.values()) {
      all.add(candidate(e, servers.get(e.device), now.toEpochMilli(), statusTimeout));
    }
    final RoutingContext ctx =
        new RoutingContext(
            p.service.rule,
            Optional.ofNullable(p.onlyDevice),
            p.tried,
            sessions.boundServer(p),
            now);
    final Explanation.Builder why = new Explanation.Builder();
    final Optional<String> chosen = choose(all, ctx, why);
    return new Choice(chosen, why.build(p.id, p.request.address(), now, p.attempt + 1, chosen));
  }

  /** Runs every stage over {@code candidates}; the first one left, if any. */
  static Optional<String> choose(
      final List<Candidate> candidates, final RoutingContext ctx, final Explanation.Builder why) {
    List<Candidate> left = candidates;
    for (final RoutingStage stage : STAGES) {
      left = stage.apply(left, ctx, why);
    }
    return left.isEmpty() ? Optional.empty() : Optional.of(left.get(0).device());
  }

  /**
   * The reason of a 503 from the explanation {@code e} of the last choice for {@code p}: a redirect
   * names its target and why it is unusable, rather than the request being served elsewhere.
   */
  static String unavailable(final PendingRequest p, final Explanation e) {
    final String redirect = p.onlyDevice == null ? p.service.rule.getRedirectTo() : "";
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

  private static Candidate candidate(
      final Registry.ServerEntry e,
      final ServerState state,
      final long nowMs,
      final Duration statusTimeout) {
    if (state == null) {
      return new Candidate(
          e.device, e.role, e.enabled, Presence.DEAD, false, 0, StatusMessage.getDefaultInstance());
    }
    return new Candidate(
        e.device,
        e.role,
        e.enabled,
        state.presence(nowMs, statusTimeout),
        state.hasCapacity(),
        state.inProgress(),
        state.status());
  }
}
