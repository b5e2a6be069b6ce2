package io.troupe.router.internal.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * The WEIGHTED rule (R6, R11): one of the usable servers at random, each in proportion to its spare
 * capacity, the share of its capacity not in use ({@link Candidate#utilisation}: the load it
 * reports, or the router's count of requests in progress against its limit, whichever is higher). A
 * server with no spare capacity left is drawn only when none has any, and then all are equally
 * likely. The chance comes from the context's draw, so the same draw gives the same choice. The
 * drawn server comes first, the others keep their order.
 */
final class WeightedOrder implements RoutingStage {

  @Override
  public List<Candidate> apply(
      final List<Candidate> in, final RoutingContext ctx, final Explanation.Builder why) {
    if (ctx.order() != DistributionOrder.WEIGHTED
        || ctx.onlyDevice().isPresent()
        || ctx.redirect().isPresent()
        || in.isEmpty()) {
      return in;
    }
    why.decidedBy("WEIGHTED");
    final int drawn = drawn(in, ctx.draw());
    final List<Candidate> out = new ArrayList<>(in.size());
    out.add(in.get(drawn));
    for (int i = 0; i < in.size(); i++) {
      if (i != drawn) {
        out.add(in.get(i));
      }
    }
    return out;
  }

  /** The index {@code draw} falls on when each candidate takes a share as wide as its weight. */
  static int drawn(final List<Candidate> in, final double draw) {
    double total = 0;
    for (final Candidate c : in) {
      total += spare(c);
    }
    if (total <= 0) {
      return Math.min(in.size() - 1, (int) (draw * in.size()));
    }
    double point = draw * total;
    int last = 0;
    for (int i = 0; i < in.size(); i++) {
      final double weight = spare(in.get(i));
      if (weight > 0) {
        last = i;
        point -= weight;
        if (point < 0) {
          return i;
        }
      }
    }
    return last;
  }

  /** The share of its capacity {@code c} has left. */
  static double spare(final Candidate c) {
    return Math.max(0, 1 - c.utilisation());
  }
}
