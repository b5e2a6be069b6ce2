package io.troupe.router.internal.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A stage that judges each candidate on its own: kept, or skipped for a reason. */
abstract class CandidateFilter implements RoutingStage {

  /** Why {@code c} cannot take the request, or empty when it can. */
  abstract Optional<String> reject(Candidate c, RoutingContext ctx);

  @Override
  public final List<Candidate> apply(
      final List<Candidate> in, final RoutingContext ctx, final Explanation.Builder why) {
    final List<Candidate> kept = new ArrayList<>(in.size());
    for (final Candidate c : in) {
      final Optional<String> reason = reject(c, ctx);
      if (reason.isPresent()) {
        why.skip(c.device(), reason.get());
      } else {
        kept.add(c);
      }
    }
    return kept;
  }
}
