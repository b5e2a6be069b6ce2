package io.troupe.router.internal.routing;

import io.troupe.router.internal.devices.Presence;
import java.util.ArrayList;
import java.util.List;

/**
 * A suspected server (it let a forwarded request time out) is tried only when no alive one is left
 * after every other filter. Runs last among the filters for that reason.
 */
final class SuspectedFilter implements RoutingStage {

  @Override
  public List<Candidate> apply(
      final List<Candidate> in, final RoutingContext ctx, final Explanation.Builder why) {
    if (in.stream().noneMatch(c -> c.presence() == Presence.ALIVE)) {
      return in;
    }
    final List<Candidate> kept = new ArrayList<>(in.size());
    for (final Candidate c : in) {
      if (c.presence() == Presence.SUSPECTED) {
        why.skip(c.device(), "suspected while an alive server remains");
      } else {
        kept.add(c);
      }
    }
    return kept;
  }
}
