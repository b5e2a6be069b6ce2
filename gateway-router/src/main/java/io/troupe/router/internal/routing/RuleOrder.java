package io.troupe.router.internal.routing;

import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.ServerRole;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The distribution rule's order by role (R6): the primary first (the default), or the secondaries
 * and volunteers first. Servers of the same rank keep the order they registered in. Names the rule
 * that decided: the consumer's named server, the redirect, or the order.
 */
final class RuleOrder implements RoutingStage {

  @Override
  public List<Candidate> apply(
      final List<Candidate> in, final RoutingContext ctx, final Explanation.Builder why) {
    if (ctx.onlyDevice().isPresent()) {
      why.decidedBy("named server");
      return in;
    }
    if (ctx.redirect().isPresent()) {
      why.decidedBy("REDIRECT to " + ctx.redirect().get());
      return in;
    }
    final RequestOrder order = ctx.rule().getOrder();
    if (order == RequestOrder.LEAST_LOADED || order == RequestOrder.WEIGHTED) {
      return in;
    }
    final boolean secondaryFirst = order == RequestOrder.SECONDARY_FIRST;
    why.decidedBy(secondaryFirst ? "SECONDARY_FIRST" : "PRIMARY_FIRST");
    final List<Candidate> sorted = new ArrayList<>(in);
    sorted.sort(Comparator.comparingInt(c -> rank(c.role(), secondaryFirst)));
    return sorted;
  }

  /** 0 for the rank tried first. */
  static int rank(final ServerRole role, final boolean secondaryFirst) {
    final int primary = role == ServerRole.PRIMARY ? 0 : 1;
    return secondaryFirst ? 1 - primary : primary;
  }
}
