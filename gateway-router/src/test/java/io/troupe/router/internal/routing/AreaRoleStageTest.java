package io.troupe.router.internal.routing;

import static io.troupe.router.internal.routing.RoutingFiltersTest.NOON;
import static io.troupe.router.internal.routing.RoutingFiltersTest.server;
import static io.troupe.router.internal.routing.RoutingFiltersTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.AreaRole;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.ServerRole;
import io.troupe.router.internal.devices.Presence;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Criteria that give roles by area (R9): the stage alone, and the choice it leads to. */
class AreaRoleStageTest {

  private static RoutingContext ctx(final DistributionRule rule, final String area) {
    return new RoutingContext(
        rule, Optional.empty(), Set.of(), Optional.empty(), NOON, Optional.ofNullable(area), 0);
  }

  /** {@code c} with criteria giving it {@code role} in {@code area}. */
  private static Candidate roleIn(final Candidate c, final String area, final ServerRole role) {
    return RoutingFiltersTest.with(
        c,
        c.status().toBuilder()
            .setCriteria(
                c.status().getCriteria().toBuilder()
                    .addAreaRoles(AreaRole.newBuilder().setArea(area).setRole(role)))
            .build(),
        c.hasCapacity());
  }

  static Stream<Arguments> roles() {
    final Candidate s = server("s");
    return Stream.of(
        Arguments.of(
            "no area in the request",
            roleIn(s, "office", ServerRole.PRIMARY),
            null,
            ServerRole.SECONDARY),
        Arguments.of(
            "the request's area",
            roleIn(s, "office", ServerRole.PRIMARY),
            "office",
            ServerRole.PRIMARY),
        Arguments.of(
            "another area", roleIn(s, "office", ServerRole.PRIMARY), "home", ServerRole.SECONDARY),
        Arguments.of(
            "a primary made secondary in one area",
            roleIn(with(s, ServerRole.PRIMARY), "home", ServerRole.SECONDARY),
            "home",
            ServerRole.SECONDARY),
        Arguments.of(
            "a passive server stays passive",
            roleIn(with(s, ServerRole.PASSIVE), "home", ServerRole.PRIMARY),
            "home",
            ServerRole.PASSIVE),
        Arguments.of(
            "an area cannot make a server passive",
            roleIn(s, "home", ServerRole.PASSIVE),
            "home",
            ServerRole.SECONDARY),
        Arguments.of("no criteria", s, "home", ServerRole.SECONDARY));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("roles")
  void apply_area_givesTheRoleForIt(
      final String name, final Candidate c, final String area, final ServerRole role) {
    final List<Candidate> out =
        new AreaRoleStage()
            .apply(
                List.of(c),
                ctx(DistributionRule.getDefaultInstance(), area),
                new Explanation.Builder());
    assertThat(out).singleElement().extracting(Candidate::role).isEqualTo(role);
    assertThat(out.get(0).device()).isEqualTo(c.device());
  }

  static Stream<Arguments> choices() {
    final Candidate p = with(server("p"), ServerRole.PRIMARY);
    final Candidate homePrimary = roleIn(server("h"), "home", ServerRole.PRIMARY);
    final Candidate homeSecondary = roleIn(p, "home", ServerRole.SECONDARY);
    final DistributionRule primaryFirst = DistributionRule.getDefaultInstance();
    final DistributionRule secondaryFirst =
        DistributionRule.newBuilder().setOrder(RequestOrder.SECONDARY_FIRST).build();
    return Stream.of(
        Arguments.of(
            "primary in its area", primaryFirst, List.of(homeSecondary, homePrimary), "home", "h"),
        Arguments.of(
            "elsewhere the registered primary",
            primaryFirst,
            List.of(homeSecondary, homePrimary),
            "office",
            "p"),
        Arguments.of(
            "no area: the registered primary",
            primaryFirst,
            List.of(homeSecondary, homePrimary),
            null,
            "p"),
        Arguments.of(
            "secondary first in its area",
            secondaryFirst,
            List.of(homeSecondary, homePrimary),
            "home",
            "p"),
        Arguments.of(
            "primary in its area but offline",
            primaryFirst,
            List.of(p, with(homePrimary, Presence.DEAD)),
            "home",
            "p"),
        Arguments.of(
            "a redirect still wins",
            primaryFirst.toBuilder().setRedirectTo("p").build(),
            List.of(p, homePrimary),
            "home",
            "p"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("choices")
  void choose_rolesByArea_decideTheOrder(
      final String name,
      final DistributionRule rule,
      final List<Candidate> in,
      final String area,
      final String chosen) {
    assertThat(ServerChoice.choose(in, ctx(rule, area), new Explanation.Builder()))
        .isEqualTo(Optional.of(chosen));
  }
}
