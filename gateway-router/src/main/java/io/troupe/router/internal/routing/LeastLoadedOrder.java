package io.troupe.router.internal.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The LEAST_LOADED rule (R6, R11): the server using the smallest share of its capacity first (the
 * load it reports, or the router's count of requests in progress against its limit, whichever is
 * higher); then the fewest requests the router has in progress there; then the fewest it reports in
 * progress; then the one the router sent a request least recently; then the primary before the
 * others; then the order of registration. Equal loads so always give the same order for the same
 * events, and take turns: each request sent makes its server the most recently sent, so the next
 * one goes to the next of the equals, round robin.
 */
final class LeastLoadedOrder implements RoutingStage {

  static final Comparator<Candidate> BY_LOAD =
      Comparator.comparingDouble(Candidate::utilisation)
          .thenComparingInt(Candidate::inProgress)
          .thenComparingInt(c -> c.status().getMetrics().getRequestsInProgress())
          .thenComparingLong(Candidate::lastSent)
          .thenComparingInt(c -> RoleOrder.rank(c.role(), false));

  @Override
  public List<Candidate> apply(
      final List<Candidate> in, final RoutingContext ctx, final Explanation.Builder why) {
    if (ctx.order() != DistributionOrder.LEAST_LOADED
        || ctx.onlyDevice().isPresent()
        || ctx.redirect().isPresent()) {
      return in;
    }
    why.decidedBy("LEAST_LOADED");
    final List<Candidate> sorted = new ArrayList<>(in);
    sorted.sort(BY_LOAD);
    return sorted;
  }
}
