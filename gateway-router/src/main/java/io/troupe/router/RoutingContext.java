package io.troupe.router;

import io.troupe.proto.v1.DistributionRule;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the routing stages know of the request being placed.
 *
 * @param rule the service's distribution rule (R6)
 * @param onlyDevice the server the consumer named ({@code {device}.{address}}), if any
 * @param tried servers already sent this request
 * @param sticky the server the request's session is bound to (R8), if any
 * @param now the router's clock, for time windows (R9)
 */
record RoutingContext(
    DistributionRule rule,
    Optional<String> onlyDevice,
    Set<String> tried,
    Optional<String> sticky,
    Instant now) {

  RoutingContext {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(onlyDevice, "onlyDevice");
    tried = Set.copyOf(tried);
    Objects.requireNonNull(sticky, "sticky");
    Objects.requireNonNull(now, "now");
  }

  /** The server a manual redirect sends every request to, if the rule names one. */
  Optional<String> redirect() {
    return rule.getRedirectTo().isEmpty() ? Optional.empty() : Optional.of(rule.getRedirectTo());
  }
}
