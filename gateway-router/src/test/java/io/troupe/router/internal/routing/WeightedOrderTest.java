package io.troupe.router.internal.routing;

import static io.troupe.router.internal.routing.RoutingFiltersTest.NOON;
import static io.troupe.router.internal.routing.RoutingFiltersTest.loaded;
import static io.troupe.router.internal.routing.RoutingFiltersTest.server;
import static io.troupe.router.internal.routing.RoutingFiltersTest.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.ServerRole;
import io.troupe.router.internal.devices.Presence;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The WEIGHTED rule: a draw in proportion to spare capacity, alone and with the other stages. */
class WeightedOrderTest {

  private static final DistributionRule WEIGHTED =
      DistributionRule.newBuilder().setOrder(RequestOrder.WEIGHTED).build();

  private static RoutingContext ctx(
      final DistributionRule rule, final String sticky, final double draw) {
    return new RoutingContext(
        rule,
        Optional.empty(),
        Set.of(),
        Optional.ofNullable(sticky),
        NOON,
        Optional.empty(),
        draw);
  }

  /** {@code c} at its limit of {@code max} with {@code inProgress} sent by the router. */
  private static Candidate inProgress(final Candidate c, final int inProgress, final int max) {
    return new Candidate(
        c.device(),
        c.role(),
        c.enabled(),
        c.presence(),
        inProgress < max,
        inProgress,
        c.status().toBuilder()
            .setMetrics(Metrics.newBuilder().setMaxRequestsInProgress(max))
            .build());
  }

  static Stream<Arguments> draws() {
    final Candidate a = loaded(server("a"), 0, 0.75); // spare 0.25
    final Candidate b = loaded(server("b"), 0, 0.25); // spare 0.75
    final Candidate full = loaded(server("full"), 0, 1.0); // spare 0
    return Stream.of(
        Arguments.of("low draw falls on the first share", List.of(a, b), 0.0, "a"),
        Arguments.of("just inside the first share", List.of(a, b), 0.249, "a"),
        Arguments.of("past the first share", List.of(a, b), 0.25, "b"),
        Arguments.of("top of the range", List.of(a, b), 0.999, "b"),
        Arguments.of("a full server has no share", List.of(full, b), 0.0, "b"),
        Arguments.of("a full server between others", List.of(a, full, b), 0.3, "b"),
        Arguments.of(
            "all full: equal shares, low",
            List.of(full, loaded(server("f2"), 0, 1.0)),
            0.2,
            "full"),
        Arguments.of(
            "all full: equal shares, high", List.of(full, loaded(server("f2"), 0, 1.0)), 0.7, "f2"),
        Arguments.of(
            "the router's count against the limit counts as load",
            List.of(inProgress(server("busy"), 3, 4), inProgress(server("idle"), 0, 4)),
            0.3,
            "idle"),
        Arguments.of("one server", List.of(a), 0.9, "a"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("draws")
  void apply_draw_putsTheServerItFallsOnFirst(
      final String name, final List<Candidate> in, final double draw, final String first) {
    final Explanation.Builder why = new Explanation.Builder();
    final List<Candidate> out = new WeightedOrder().apply(in, ctx(WEIGHTED, null, draw), why);
    assertThat(out.get(0).device()).isEqualTo(first);
    assertThat(out).containsExactlyInAnyOrderElementsOf(in);
    assertThat(why.build("id", "echo.demo", NOON, 1, Optional.of(first)).rule())
        .isEqualTo("WEIGHTED");
  }

  static Stream<Arguments> untouched() {
    return Stream.of(
        Arguments.of("another rule", DistributionRule.getDefaultInstance()),
        Arguments.of("a redirect", WEIGHTED.toBuilder().setRedirectTo("a").build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("untouched")
  void apply_notWeightedOrRedirected_leavesTheOrder(
      final String name, final DistributionRule rule) {
    final List<Candidate> in = List.of(loaded(server("a"), 0, 0.9), server("b"));
    assertThat(new WeightedOrder().apply(in, ctx(rule, null, 0.99), new Explanation.Builder()))
        .isEqualTo(in);
  }

  static Stream<Arguments> pipeline() {
    final Candidate p = with(server("p"), ServerRole.PRIMARY);
    final Candidate s = loaded(server("s"), 0, 0.5);
    return Stream.of(
        Arguments.of(
            "draws among the usable only",
            List.of(RoutingFiltersTest.disabled(p), s),
            null,
            0.0,
            "s"),
        Arguments.of("a session stays with its server", List.of(p, s), "s", 0.0, "s"),
        Arguments.of(
            "passive servers are never drawn",
            List.of(with(p, ServerRole.PASSIVE), s),
            null,
            0.0,
            "s"),
        Arguments.of(
            "all passive: none",
            List.of(with(p, ServerRole.PASSIVE), with(s, ServerRole.PASSIVE)),
            null,
            0.5,
            null),
        Arguments.of(
            "suspected behind alive", List.of(with(p, Presence.SUSPECTED), s), null, 0.0, "s"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pipeline")
  void choose_weighted_combinedWithTheFilters(
      final String name,
      final List<Candidate> in,
      final String sticky,
      final double draw,
      final String chosen) {
    assertThat(ServerChoice.choose(in, ctx(WEIGHTED, sticky, draw), new Explanation.Builder()))
        .isEqualTo(Optional.ofNullable(chosen));
  }

  @Test
  void choose_manySeededDraws_spreadInProportionToSpareCapacity() {
    final List<Candidate> in =
        List.of(
            loaded(server("a"), 0, 0.8), loaded(server("b"), 0, 0.4), loaded(server("c"), 0, 0.0));
    final Random random = new Random(42);
    final int[] counts = new int[3];
    final int draws = 20_000;
    for (int i = 0; i < draws; i++) {
      counts[WeightedOrder.drawn(in, random.nextDouble())]++;
    }
    // spares 0.2, 0.6 and 1.0: shares 1/9, 3/9 and 5/9
    assertThat(counts[0] / (double) draws)
        .isCloseTo(1 / 9.0, org.assertj.core.data.Offset.offset(0.015));
    assertThat(counts[1] / (double) draws)
        .isCloseTo(3 / 9.0, org.assertj.core.data.Offset.offset(0.015));
    assertThat(counts[2] / (double) draws)
        .isCloseTo(5 / 9.0, org.assertj.core.data.Offset.offset(0.015));
  }

  @Test
  void context_drawOutsideTheUnitRange_isRefused() {
    assertThatThrownBy(() -> ctx(WEIGHTED, null, 1.0)).isInstanceOf(IllegalArgumentException.class);
  }
}
