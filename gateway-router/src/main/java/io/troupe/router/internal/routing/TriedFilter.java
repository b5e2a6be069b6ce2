package io.troupe.router.internal.routing;

import java.util.Optional;

/** A server already sent this request is not sent it again. */
final class TriedFilter extends CandidateFilter {

  @Override
  Optional<String> reject(final Candidate c, final RoutingContext ctx) {
    return ctx.tried().contains(c.device()) ? Optional.of("already tried") : Optional.empty();
  }
}
