package io.troupe.router.internal.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * A session stays with the server that first served it (R8), even after the primary returns, for as
 * long as that server is usable: it comes first when the filters kept it. Runs after the rule's
 * order, so that it alone decides when it applies.
 */
final class StickinessOrder implements RoutingStage {

  @Override
  public List<Candidate> apply(
      final List<Candidate> in, final RoutingContext ctx, final Explanation.Builder why) {
    if (ctx.sticky().isEmpty()) {
      return in;
    }
    final String bound = ctx.sticky().get();
    final List<Candidate> sorted = new ArrayList<>(in.size());
    for (final Candidate c : in) {
      if (c.device().equals(bound)) {
        sorted.add(0, c);
        why.decidedBy("session (sticky to " + bound + ")");
      } else {
        sorted.add(c);
      }
    }
    return sorted;
  }
}
