package io.troupe.router.internal.routing;

import java.util.Optional;

/**
 * A request for one named server ({@code {device}.{address}}) goes to that server only; otherwise a
 * manual redirect (R6) sends every request to the server it names. Nothing else is tried in either
 * case: when the target is unusable the request is refused with 503 rather than served elsewhere. A
 * named server wins over a redirect: the consumer asked for that server, not for the service.
 */
final class TargetFilter extends CandidateFilter {

  @Override
  Optional<String> reject(final Candidate c, final RoutingContext ctx) {
    if (ctx.onlyDevice().isPresent()) {
      return ctx.onlyDevice().get().equals(c.device())
          ? Optional.empty()
          : Optional.of("the consumer named " + ctx.onlyDevice().get());
    }
    return ctx.redirect()
        .filter(to -> !to.equals(c.device()))
        .map(to -> "the service is redirected to " + to);
  }
}
