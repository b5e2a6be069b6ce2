package io.troupe.router.internal.routing;

import io.troupe.proto.v1.Availability;
import java.util.Optional;

/** A server that says BUSY, or has as many requests in progress as it allows, is skipped (R7). */
final class CapacityFilter extends CandidateFilter {

  @Override
  Optional<String> reject(final Candidate c, final RoutingContext ctx) {
    if (c.hasCapacity()) {
      return Optional.empty();
    }
    return c.status().getAvailability() == Availability.BUSY
        ? Optional.of("busy")
        : Optional.of(
            "at its limit of "
                + c.status().getMetrics().getMaxRequestsInProgress()
                + " requests in progress");
  }
}
