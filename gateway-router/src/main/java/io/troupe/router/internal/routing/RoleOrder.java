package io.troupe.router.internal.routing;

import io.troupe.proto.v1.ServerRole;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The PRIMARY_FIRST and SECONDARY_FIRST orders (R6): the primary first (the default), or the
 * secondaries and volunteers first. Servers of the same rank keep the order they registered in.
 */
final class RoleOrder implements RoutingStage {

  private final boolean secondaryFirst;

  RoleOrder(final boolean secondaryFirst) {
    this.secondaryFirst = secondaryFirst;
  }

  @Override
  public List<Candidate> apply(
      final List<Candidate> in, final RoutingContext ctx, final Explanation.Builder why) {
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
