package io.troupe.router.internal.routing;

import java.util.Optional;

/** A server outside the availability criteria of its last status is skipped (R9). */
final class CriteriaFilter extends CandidateFilter {

  @Override
  Optional<String> reject(final Candidate c, final RoutingContext ctx) {
    return c.reported()
        .criteria()
        .violation(ctx.now())
        .map(why -> "outside its availability criteria: " + why);
  }
}
