package io.troupe.router.internal.routing;

import java.util.Optional;

/**
 * A server whose own access policy the consumer has used up (quota, transfer ratio, bandwidth,
 * concurrent requests) is unusable for that consumer; the next server serves (R12).
 */
final class PolicyFilter extends CandidateFilter {

  @Override
  Optional<String> reject(final Candidate c, final RoutingContext ctx) {
    return ctx.serverBar().reason(c.device(), ctx.now().toEpochMilli());
  }
}
