package io.troupe.router.internal.routing;

import io.troupe.proto.v1.RequestOrder;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;

/**
 * A distribution rule's order (R6, R11), as routing knows it. What each order does is written in
 * one switch ({@link #routing}): the stage that orders the candidates, the order its {@link
 * ServerRanking} keeps, and how many usable servers a decision looks at. A new order is a new value
 * here, and the compiler then points at that switch and at the one from the wire ({@link #of}).
 */
enum DistributionOrder {
  PRIMARY_FIRST,
  SECONDARY_FIRST,
  LEAST_LOADED,
  WEIGHTED;

  /**
   * What routing does under one order.
   *
   * @param stage the stage that orders the candidates left after the filters
   * @param ranking the order a service's servers are ranked in, after the usable-looking first
   * @param byLoad whether that ranking reads the servers' loads
   * @param shortlistWidth how many usable servers a decision looks at
   */
  record Routing(
      RoutingStage stage,
      Comparator<ServerRanking.Key> ranking,
      boolean byLoad,
      int shortlistWidth) {}

  /**
   * How many usable servers a WEIGHTED decision draws among: the ones with the most spare capacity.
   * Every other order needs only the first usable server.
   */
  static final int WEIGHTED_SHORTLIST = 16;

  private static final Map<DistributionOrder, Routing> ROUTING =
      new EnumMap<>(DistributionOrder.class);

  static {
    for (final DistributionOrder order : values()) {
      ROUTING.put(order, routing(order));
    }
  }

  private static Routing routing(final DistributionOrder order) {
    return switch (order) {
      case PRIMARY_FIRST ->
          new Routing(new RoleOrder(false), ServerRanking.byRole(false), false, 1);
      case SECONDARY_FIRST ->
          new Routing(new RoleOrder(true), ServerRanking.byRole(true), false, 1);
      case LEAST_LOADED -> new Routing(new LeastLoadedOrder(), ServerRanking.BY_LOAD, true, 1);
      case WEIGHTED ->
          new Routing(new WeightedOrder(), ServerRanking.BY_LOAD, true, WEIGHTED_SHORTLIST);
    };
  }

  /** What routing does under this order. */
  Routing routing() {
    return ROUTING.get(this);
  }

  /**
   * The order a rule names on the wire; an unset order is PRIMARY_FIRST, the default. A value this
   * build does not know is refused where rules are set, so none reaches a decision.
   *
   * @throws IllegalArgumentException for an order this build does not know
   */
  static DistributionOrder of(final RequestOrder order) {
    return switch (order) {
      case REQUEST_ORDER_UNSPECIFIED, PRIMARY_FIRST -> PRIMARY_FIRST;
      case SECONDARY_FIRST -> SECONDARY_FIRST;
      case LEAST_LOADED -> LEAST_LOADED;
      case WEIGHTED -> WEIGHTED;
      case UNRECOGNIZED ->
          throw new IllegalArgumentException("unrecognised distribution order in the rule");
    };
  }
}
