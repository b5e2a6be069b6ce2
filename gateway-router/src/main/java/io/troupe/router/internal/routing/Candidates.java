package io.troupe.router.internal.routing;

import io.troupe.router.internal.devices.Presence;
import io.troupe.router.internal.devices.ReportedStatus;
import io.troupe.router.internal.devices.ServerState;
import io.troupe.router.internal.devices.ServerStates;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.ServerEntry;
import io.troupe.router.internal.registry.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the next server for a request by running the routing stages in order: the role by the
 * consumer's area, filters (the target of a named address or redirect, already tried, enabled,
 * role, presence, capacity, availability criteria, suspected behind alive), then orders (the rule's
 * order by role, least loaded, weighted, then session stickiness). The first candidate left is
 * chosen. A new rule is a new stage.
 */
public final class Candidates {

  static final List<RoutingStage> STAGES =
      List.of(
          new AreaRoleStage(),
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
          new WeightedOrder(),
          new StickinessOrder());

  /**
   * How many usable servers a WEIGHTED decision draws among: the ones with the most spare capacity.
   * Every other rule needs only the first usable server in its order.
   */
  static final int WEIGHTED_SHORTLIST = 16;

  /** The server chosen, if any, and why. */
  public record Choice(Optional<String> server, Explanation explanation) {}

  private Candidates() {}

  /**
   * Chooses the next server for {@code p}. The stages see a shortlist rather than every server of
   * the service: the consumer's named server or the redirect's target alone; otherwise the
   * session's server, the servers whose role depends on the area, and the service's servers in the
   * rule's order ({@link ServerRanking}) up to the first usable one (the first {@link
   * #WEIGHTED_SHORTLIST} under WEIGHTED). The stages sort stably, and the shortlist is a prefix of
   * the order they would give the whole list, so they choose what they would choose among all; the
   * explanation names only the servers looked at, which is all of them when none is usable.
   */
  public static Choice next(
      final PendingRequest p,
      final ServerStates servers,
      final Sessions sessions,
      final Instant now,
      final Duration statusTimeout,
      final double draw) {
    final RoutingContext ctx =
        new RoutingContext(
            p.service.rule(),
            Optional.ofNullable(p.onlyDevice),
            p.tried,
            sessions.boundServer(p),
            now,
            Optional.of(p.request.property("area")).filter(a -> !a.isEmpty()),
            draw);
    final List<Candidate> shortlist =
        shortlist(p.service, ctx, servers, now.toEpochMilli(), statusTimeout);
    final Explanation.Builder why = new Explanation.Builder();
    final Optional<String> chosen = choose(shortlist, ctx, why);
    return new Choice(chosen, why.build(p.id, p.request.address(), now, p.attempt + 1, chosen));
  }

  private static List<Candidate> shortlist(
      final Service s,
      final RoutingContext ctx,
      final ServerStates servers,
      final long nowMs,
      final Duration statusTimeout) {
    final List<Candidate> list = new ArrayList<>();
    final Optional<String> target = ctx.onlyDevice().or(ctx::redirect);
    if (target.isPresent()) {
      final ServerEntry e = s.servers().get(target.get());
      if (e != null) {
        list.add(candidate(e, servers.get(e.device()), nowMs, statusTimeout));
      }
      return list;
    }
    final ServerRanking ranking = ranking(s, servers, nowMs, statusTimeout);
    final Set<String> byArea = ranking.areaDependent();
    final String sticky = ctx.sticky().filter(d -> !byArea.contains(d)).orElse(null);
    for (final String device : byArea) {
      list.add(candidate(s.servers().get(device), servers.get(device), nowMs, statusTimeout));
    }
    final ServerEntry bound = sticky == null ? null : s.servers().get(sticky);
    if (bound != null) {
      list.add(candidate(bound, servers.get(sticky), nowMs, statusTimeout));
    }
    final boolean weighted = ctx.rule().getOrder() == io.troupe.proto.v1.RequestOrder.WEIGHTED;
    final int wanted = weighted ? WEIGHTED_SHORTLIST : 1;
    int usable = 0;
    for (final Iterator<ServerRanking.Key> it = ranking.inOrder();
        it.hasNext() && usable < wanted; ) {
      final String device = it.next().device();
      if (device.equals(sticky) || byArea.contains(device)) {
        continue;
      }
      final Candidate c =
          candidate(s.servers().get(device), servers.get(device), nowMs, statusTimeout);
      list.add(c);
      if (c.presence() == Presence.ALIVE && passesFilters(c, ctx)) {
        usable++;
      }
    }
    // The orders sort stably and break their ties by registration. The ranking's walk already
    // gives ties in that order; the servers added first and WEIGHTED's draw, which reads the
    // list in order, need the order of registration itself.
    if (list.size() > 1 && (weighted || bound != null || !byArea.isEmpty())) {
      list.sort(Comparator.comparingInt(c -> ranking.seq(c.device())));
    }
    return list;
  }

  /** Whether every filter keeps {@code c} on its own. */
  private static boolean passesFilters(final Candidate c, final RoutingContext ctx) {
    for (final RoutingStage stage : STAGES) {
      if (stage instanceof CandidateFilter f && f.reject(c, ctx).isPresent()) {
        return false;
      }
    }
    return true;
  }

  /** The ranking of {@code s}, built again when its registration or rule changed since. */
  static ServerRanking ranking(
      final Service s, final ServerStates servers, final long nowMs, final Duration statusTimeout) {
    final ServerRanking current = (ServerRanking) s.ranking();
    if (current != null
        && current.epoch == s.community().epoch()
        && current.order == s.rule().getOrder()) {
      return current;
    }
    final ServerRanking built = new ServerRanking(s.rule().getOrder(), s.community().epoch());
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

  /** Runs every stage over {@code candidates}; the first one left, if any. */
  public static Optional<String> choose(
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
