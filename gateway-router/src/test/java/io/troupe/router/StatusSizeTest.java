package io.troupe.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.base.Ticker;
import io.troupe.proto.v1.AreaRole;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.AvailabilityCriteria;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.Location;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.ServiceShare;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.TimeWindow;
import io.troupe.router.internal.devices.Criteria;
import io.troupe.router.internal.devices.Presence;
import io.troupe.router.internal.routing.Candidate;
import io.troupe.router.internal.routing.Explanation;
import io.troupe.router.internal.routing.RoutingContext;
import io.troupe.router.internal.routing.ServerChoice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A status's lists are bounded when it arrives, and what a decision does with them under the
 * routing lock does not grow with them (issue 11, finding 2): the work is counted, not timed.
 */
class StatusSizeTest {

  private static final StatusLimits LIMITS = StatusLimits.defaults();

  /** {@code n} components installed and the same {@code n} required: the criteria all hold. */
  private static StatusMessage withComponents(final int n) {
    final List<String> names = IntStream.range(0, n).mapToObj(i -> "component-" + i).toList();
    return StatusMessage.newBuilder()
        .setDeviceId("dev1")
        .setAvailability(Availability.AVAILABLE)
        .setMetrics(Metrics.newBuilder().addAllComponents(names))
        .setCriteria(AvailabilityCriteria.newBuilder().addAllRequiredComponents(names))
        .build();
  }

  private static RouterFixture serving(final StatusMessage status) {
    final RouterFixture f = new RouterFixture();
    f.register("dev1", "demo", "echo");
    f.online("dev1", "demo");
    f.status("dev1", "demo", status);
    return f;
  }

  /** The criteria checks one consumer request's decision makes. */
  private static long checksOfOneDecision(final RouterFixture f) {
    final long before = Criteria.checks();
    final Decision d = f.router.onRequest(RouterFixture.request("echo.demo"));
    assertThat(d).isInstanceOf(Decision.Forward.class);
    return Criteria.checks() - before;
  }

  @Test
  void decision_statusAtItsBounds_checksNoMoreThanForOneComponent() {
    // given: one server reporting one component, another as many as the limits allow
    final RouterFixture small = serving(withComponents(1));
    final RouterFixture large =
        serving(withComponents(Math.min(LIMITS.maxComponents(), LIMITS.maxRequiredComponents())));

    // when / then
    assertThat(checksOfOneDecision(large)).isEqualTo(checksOfOneDecision(small)).isPositive();
  }

  @Test
  void criteriaFilter_fortyThousandRequiredComponents_checksAsForOne() {
    // given: the status of the report, as if no bound had kept it out
    final Candidate one = candidate(withComponents(1));
    final Candidate huge = candidate(withComponents(40_000));
    final RoutingContext ctx =
        new RoutingContext(
            DistributionRule.getDefaultInstance(),
            Optional.empty(),
            Set.of(),
            Optional.empty(),
            Instant.parse("2026-11-24T12:00:00Z"));

    // when
    final long forOne = checksOfChoosing(one, ctx);
    final long forHuge = checksOfChoosing(huge, ctx);

    // then
    assertThat(forHuge).isEqualTo(forOne).isPositive();
  }

  private static Candidate candidate(final StatusMessage status) {
    return new Candidate("dev1", ServerRole.PRIMARY, true, Presence.ALIVE, true, 0, status);
  }

  private static long checksOfChoosing(final Candidate c, final RoutingContext ctx) {
    final long before = Criteria.checks();
    assertThat(ServerChoice.choose(List.of(c), ctx, new Explanation.Builder())).contains("dev1");
    return Criteria.checks() - before;
  }

  /** One list or name one past its limit, and the counter of its refusal. */
  static Stream<Arguments> overBounds() {
    return Stream.of(
        over(
            StatusLimits.Field.COMPONENTS,
            s ->
                s.setMetrics(
                    Metrics.newBuilder().addAllComponents(names(LIMITS.maxComponents() + 1)))),
        over(
            StatusLimits.Field.REQUIRED_COMPONENTS,
            s ->
                s.setCriteria(
                    AvailabilityCriteria.newBuilder()
                        .addAllRequiredComponents(names(LIMITS.maxRequiredComponents() + 1)))),
        over(
            StatusLimits.Field.AREAS,
            s ->
                s.setCriteria(
                    AvailabilityCriteria.newBuilder().addAllAreas(names(LIMITS.maxAreas() + 1)))),
        over(
            StatusLimits.Field.AREA_ROLES,
            s -> {
              final AvailabilityCriteria.Builder c = AvailabilityCriteria.newBuilder();
              names(LIMITS.maxAreas() + 1)
                  .forEach(a -> c.addAreaRoles(AreaRole.newBuilder().setArea(a)));
              return s.setCriteria(c);
            }),
        over(
            StatusLimits.Field.WINDOWS,
            s -> {
              final AvailabilityCriteria.Builder c = AvailabilityCriteria.newBuilder();
              IntStream.rangeClosed(0, LIMITS.maxWindows())
                  .forEach(i -> c.addWindows(TimeWindow.newBuilder().setStartMinute(i)));
              return s.setCriteria(c);
            }),
        over(
            StatusLimits.Field.WINDOW_DAYS,
            s ->
                s.setCriteria(
                    AvailabilityCriteria.newBuilder()
                        .addWindows(
                            TimeWindow.newBuilder().addAllDays(List.of(1, 2, 3, 4, 5, 6, 7, 1))))),
        over(
            StatusLimits.Field.SERVICES,
            s -> {
              names(LIMITS.maxServices() + 1)
                  .forEach(n -> s.addServices(ServiceShare.newBuilder().setService(n)));
              return s;
            }),
        over(
            StatusLimits.Field.SERVICES,
            s -> s.addAllVolunteerServices(names(LIMITS.maxServices() + 1))),
        over(
            StatusLimits.Field.NAME_CHARS,
            s -> s.addVolunteerServices("v".repeat(LIMITS.maxNameChars() + 1))),
        over(
            StatusLimits.Field.NAME_CHARS,
            s ->
                s.setMetrics(
                    Metrics.newBuilder()
                        .setLocation(
                            Location.newBuilder()
                                .setArea("a".repeat(LIMITS.maxNameChars() + 1))))));
  }

  private static Arguments over(
      final StatusLimits.Field field, final UnaryOperator<StatusMessage.Builder> change) {
    return Arguments.of(
        field,
        change
            .apply(
                StatusMessage.newBuilder()
                    .setDeviceId("dev1")
                    .setAvailability(Availability.OFFLINE))
            .build());
  }

  private static List<String> names(final int n) {
    return IntStream.range(0, n).mapToObj(i -> "n" + i).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overBounds")
  void status_overABound_refusedWith413AndChangesNothing(
      final StatusLimits.Field field, final StatusMessage over) {
    // given: dev1 serves, and the metrics count refusals
    final RouterFixture f = serving(withComponents(1));
    final List<StatusLimits.Field> refused = new ArrayList<>();
    f.router.reportTo(
        new RouterMetrics() {
          @Override
          public void statusRefused(final StatusLimits.Field why) {
            refused.add(why);
          }
        },
        Ticker.systemTicker());

    // when: a status that would take it offline, one past a limit
    final Verdict verdict =
        f.router.onStatus(RouterFixture.device("dev1"), "demo", "dev1", over.toByteString());

    // then: refused with the reason, counted, and dev1 still serves as before
    assertThat(verdict.status()).isEqualTo(Status.PAYLOAD_TOO_LARGE);
    assertThat(verdict.reason()).contains("the limit is");
    assertThat(refused).containsExactly(field);
    assertThat(f.router.onRequest(RouterFixture.request("echo.demo")))
        .isInstanceOf(Decision.Forward.class);
  }

  @Test
  void status_everyListAtItsBound_accepted() {
    final AvailabilityCriteria.Builder criteria =
        AvailabilityCriteria.newBuilder()
            .addAllRequiredComponents(names(LIMITS.maxRequiredComponents()))
            .addAllAreas(names(LIMITS.maxAreas()));
    names(LIMITS.maxAreas()).forEach(a -> criteria.addAreaRoles(AreaRole.newBuilder().setArea(a)));
    IntStream.range(0, LIMITS.maxWindows())
        .forEach(
            i ->
                criteria.addWindows(
                    TimeWindow.newBuilder().addAllDays(List.of(1, 2, 3, 4, 5, 6, 7))));
    final StatusMessage.Builder status =
        StatusMessage.newBuilder()
            .setDeviceId("dev1")
            .setAvailability(Availability.AVAILABLE)
            .setMetrics(
                Metrics.newBuilder()
                    .addAllComponents(names(LIMITS.maxComponents()))
                    .setLocation(Location.newBuilder().setArea("a".repeat(LIMITS.maxNameChars()))))
            .setCriteria(criteria);
    names(LIMITS.maxServices())
        .forEach(n -> status.addServices(ServiceShare.newBuilder().setService(n)));

    final RouterFixture f = new RouterFixture();
    f.register("dev1", "demo", "echo");
    assertThat(
            f.router
                .onStatus(
                    RouterFixture.device("dev1"), "demo", "dev1", status.build().toByteString())
                .isAllowed())
        .isTrue();
  }

  @Test
  void status_lowerLimitsConfigured_refusesWhatTheDefaultsAllow() {
    final RouterFixture f = new RouterFixture();
    f.restartWith(f.config.withStatusLimits(LIMITS.withMaxComponents(2)));
    f.register("dev1", "demo", "echo");

    final Verdict verdict =
        f.router.onStatus(
            RouterFixture.device("dev1"), "demo", "dev1", withComponents(3).toByteString());

    assertThat(verdict.status()).isEqualTo(Status.PAYLOAD_TOO_LARGE);
    assertThat(verdict.reason()).isEqualTo("status lists 3 metrics.components; the limit is 2");
  }
}
