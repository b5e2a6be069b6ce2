package io.troupe.router.internal.routing;

import java.util.Optional;

/** A server whose share is disabled serves no one (R5). */
final class EnabledFilter extends CandidateFilter {

  @Override
  Optional<String> reject(final Candidate c, final RoutingContext ctx) {
    return c.enabled() ? Optional.empty() : Optional.of("disabled");
  }
}
