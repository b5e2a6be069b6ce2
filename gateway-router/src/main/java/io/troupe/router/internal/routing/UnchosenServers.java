package io.troupe.router.internal.routing;

import io.troupe.router.internal.devices.ServerStates;
import io.troupe.router.internal.registry.ServerEntry;
import io.troupe.router.internal.registry.Service;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Completes an explanation so that every server of the service that was not chosen appears in it
 * with a reason, the ones the shortlist never reached included: after a kill -9 of the primary,
 * {@code why} says "skipped dev1 (offline)" as well as "dev2 by PRIMARY_FIRST". Of the servers the
 * shortlist did not reach it judges the first {@link #BEYOND_SHORTLIST} (in the order they
 * registered, the primary's first) and counts the rest, so that a decision over thousands of
 * servers still judges a few: the ones the shortlist passed by are all there in a small service.
 */
final class UnchosenServers {

  /** How many servers the shortlist did not reach an explanation names at most. */
  static final int BEYOND_SHORTLIST = 4;

  private UnchosenServers() {}

  /**
   * Adds to {@code why} each server of {@code s} not chosen and not skipped yet: the first filter
   * that rejects it, or that it was ranked after the chosen server.
   */
  static void complete(
      final Service s,
      final List<Candidate> shortlist,
      final Optional<String> chosen,
      final RoutingContext ctx,
      final Explanation.Builder why,
      final ServerStates servers,
      final long nowMs,
      final Duration statusTimeout) {
    final Set<String> looked = new HashSet<>();
    for (final Candidate c : shortlist) {
      looked.add(c.device());
      if (!chosen.map(c.device()::equals).orElse(false) && !why.names(c.device())) {
        if (why.hasRoom()) {
          why.skip(c.device(), reason(c, ctx, chosen));
        }
      }
    }
    int left = s.servers().size() - looked.size();
    int named = 0;
    for (final ServerEntry e : s.servers().values()) {
      if (left <= 0 || named == BEYOND_SHORTLIST || !why.hasRoom()) {
        break;
      }
      if (looked.contains(e.device())) {
        continue;
      }
      final Candidate c = Candidates.candidate(e, servers.get(e.device()), nowMs, statusTimeout);
      why.skip(c.device(), reason(c, ctx, chosen));
      named++;
      left--;
    }
    why.leftOut(Math.max(0, left));
  }

  /** Why {@code c} was not chosen: the first filter that rejects it, else its place in order. */
  private static String reason(
      final Candidate c, final RoutingContext ctx, final Optional<String> chosen) {
    for (final RoutingStage stage : ServerChoice.STAGES) {
      if (stage instanceof CandidateFilter f) {
        final Optional<String> rejected = f.reject(c, ctx);
        if (rejected.isPresent()) {
          return rejected.get();
        }
      }
    }
    return chosen.map(d -> "ranked after " + d).orElse("not reached");
  }
}
