package io.troupe.router.internal.routing;

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
 * @param area the consumer's area (its request's user property {@code area}), if it gave one: it
 *     picks a server's role where criteria give roles by area (R9)
 * @param draw a number in [0, 1) drawn for this decision, for WEIGHTED's random choice; the router
 *     draws it from a generator tests can seed
 * @param serverBar which servers the consumer may not use by their own access policies (R12)
 */
public record RoutingContext(
    DistributionRule rule,
    Optional<String> onlyDevice,
    Set<String> tried,
    Optional<String> sticky,
    Instant now,
    Optional<String> area,
    double draw,
    ServerBar serverBar) {

  public RoutingContext {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(onlyDevice, "onlyDevice");
    tried = Set.copyOf(tried);
    Objects.requireNonNull(sticky, "sticky");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(area, "area");
    Objects.requireNonNull(serverBar, "serverBar");
    if (!(draw >= 0 && draw < 1)) {
      throw new IllegalArgumentException("draw must lie in [0, 1), got " + draw);
    }
  }

  /** A context that bars no server by policy. */
  public RoutingContext(
      final DistributionRule rule,
      final Optional<String> onlyDevice,
      final Set<String> tried,
      final Optional<String> sticky,
      final Instant now,
      final Optional<String> area,
      final double draw) {
    this(rule, onlyDevice, tried, sticky, now, area, draw, ServerBar.NONE);
  }

  /** A context with no area and a draw of 0. */
  public RoutingContext(
      final DistributionRule rule,
      final Optional<String> onlyDevice,
      final Set<String> tried,
      final Optional<String> sticky,
      final Instant now) {
    this(rule, onlyDevice, tried, sticky, now, Optional.empty(), 0);
  }

  /** The order of the rule; see {@link DistributionOrder#of}. */
  DistributionOrder order() {
    return DistributionOrder.of(rule.getOrder());
  }

  /** The server a manual redirect sends every request to, if the rule names one. */
  Optional<String> redirect() {
    return rule.getRedirectTo().isEmpty() ? Optional.empty() : Optional.of(rule.getRedirectTo());
  }
}
