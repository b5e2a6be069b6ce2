package io.troupe.router.internal.routing;

import io.troupe.proto.v1.ServerRole;
import io.troupe.router.internal.devices.Presence;
import io.troupe.router.internal.devices.ServerStates;
import io.troupe.router.internal.registry.ServerEntry;
import io.troupe.router.internal.registry.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The choice of a server for one attempt of a request. The routing stages run in order: the role by
 * the consumer's area, filters (the target of a named address or redirect, already tried, enabled,
 * the server's access policy, role, presence, capacity, availability criteria, volunteers behind a
 * primary, suspected behind alive), then orders (the rule's order, see {@link DistributionOrder},
 * then session stickiness). The first candidate left is chosen. A new filter is a new stage; a new
 * order is a new {@link DistributionOrder}. They run over a shortlist of the service's servers
 * taken from its {@link ServerRanking}, so that a decision looks at a few servers, not all.
 */
public final class ServerChoice {

  static final List<RoutingStage> STAGES =
      List.of(
          new AreaRoleStage(),
          new TargetFilter(),
          new TriedFilter(),
          new EnabledFilter(),
          new PolicyFilter(),
          new RoleFilter(),
          new PresenceFilter(),
          new CapacityFilter(),
          new CriteriaFilter(),
          new VolunteerFilter(),
          new SuspectedFilter(),
          new RuleOrder(),
          new StickinessOrder());

  /** The server chosen, if any, and why. */
  public record Choice(Optional<String> server, Explanation explanation) {}

  private ServerChoice() {}

  /**
   * Chooses the next server for {@code p}. The stages see a shortlist rather than every server of
   * the service: the consumer's named server or the redirect's target alone; otherwise the
   * session's server, the servers whose role depends on the area, and the service's servers in the
   * rule's order ({@link ServerRanking}) up to the first usable one (the first {@link
   * DistributionOrder#WEIGHTED_SHORTLIST} under WEIGHTED). The stages sort stably, and the
   * shortlist is a prefix of the order they would give the whole list, so they choose what they
   * would choose among all; the explanation then names every server not chosen, the ones the
   * shortlist did not reach as well (see {@link UnchosenServers}).
   */
  public static Choice choose(
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
            draw,
            p.serverBar);
    final List<Candidate> shortlist =
        shortlist(p.service, ctx, servers, now.toEpochMilli(), statusTimeout);
    final Explanation.Builder why = new Explanation.Builder();
    ctx.area().ifPresent(why::consumerIn);
    final Optional<String> chosen = choose(shortlist, ctx, why);
    UnchosenServers.complete(
        p.service, shortlist, chosen, ctx, why, servers, now.toEpochMilli(), statusTimeout);
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
        list.add(Candidates.candidate(e, servers.get(e.device()), nowMs, statusTimeout));
      }
      return list;
    }
    final ServerRanking ranking = Candidates.ranking(s, servers, nowMs, statusTimeout);
    final Set<String> byArea = ranking.areaDependent();
    final String sticky = ctx.sticky().filter(d -> !byArea.contains(d)).orElse(null);
    for (final String device : byArea) {
      list.add(
          Candidates.candidate(s.servers().get(device), servers.get(device), nowMs, statusTimeout));
    }
    final ServerEntry bound = sticky == null ? null : s.servers().get(sticky);
    if (bound != null) {
      list.add(Candidates.candidate(bound, servers.get(sticky), nowMs, statusTimeout));
    }
    final int wanted = ctx.order().routing().shortlistWidth();
    int usable = 0;
    for (final Iterator<ServerRanking.Key> it = ranking.inOrder();
        it.hasNext() && usable < wanted; ) {
      final String device = it.next().device();
      if (device.equals(sticky) || byArea.contains(device)) {
        continue;
      }
      final Candidate c =
          Candidates.candidate(s.servers().get(device), servers.get(device), nowMs, statusTimeout);
      list.add(c);
      // A volunteer does not count: whether it may serve depends on the primary, further on.
      if (c.presence() == Presence.ALIVE
          && c.role() != ServerRole.VOLUNTEER
          && passesFilters(c, ctx)) {
        usable++;
      }
    }
    // A volunteer may serve only when no primary can: the walk above passes volunteers by, but
    // the primary may lie beyond the usable server it stopped at.
    final boolean primariesAdded =
        addPrimariesBesideVolunteers(s, list, servers, nowMs, statusTimeout);
    // The orders sort stably and break their ties by registration. The ranking's walk already
    // gives ties in that order; the servers added first and WEIGHTED's draw, which reads the
    // list in order, need the order of registration itself.
    if (list.size() > 1 && (wanted > 1 || bound != null || !byArea.isEmpty() || primariesAdded)) {
      list.sort(Comparator.comparingInt(c -> ranking.seq(c.device())));
    }
    return list;
  }

  /**
   * Adds the primaries of {@code s} not yet on {@code list} when a volunteer is on it, so that
   * {@link VolunteerFilter} sees whether a primary can serve. Rare (volunteers are few), so it may
   * read every server.
   *
   * @return whether it added any
   */
  private static boolean addPrimariesBesideVolunteers(
      final Service s,
      final List<Candidate> list,
      final ServerStates servers,
      final long nowMs,
      final Duration statusTimeout) {
    if (list.stream().noneMatch(c -> c.role() == ServerRole.VOLUNTEER)) {
      return false;
    }
    final Set<String> listed = new HashSet<>();
    list.forEach(c -> listed.add(c.device()));
    boolean added = false;
    for (final ServerEntry e : s.servers().values()) {
      if (e.role() == ServerRole.PRIMARY && !listed.contains(e.device())) {
        list.add(Candidates.candidate(e, servers.get(e.device()), nowMs, statusTimeout));
        added = true;
      }
    }
    return added;
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

  /** Runs every stage over {@code candidates}; the first one left, if any. */
  public static Optional<String> choose(
      final List<Candidate> candidates, final RoutingContext ctx, final Explanation.Builder why) {
    List<Candidate> left = candidates;
    for (final RoutingStage stage : STAGES) {
      left = stage.apply(left, ctx, why);
    }
    return left.isEmpty() ? Optional.empty() : Optional.of(left.get(0).device());
  }
}
