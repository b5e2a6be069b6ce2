package io.troupe.router.internal.routing;

import static io.troupe.router.internal.routing.RoutingFiltersTest.ctx;
import static io.troupe.router.internal.routing.RoutingFiltersTest.loaded;
import static io.troupe.router.internal.routing.RoutingFiltersTest.server;
import static io.troupe.router.internal.routing.RoutingFiltersTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.AvailabilityCriteria;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.TimeWindow;
import io.troupe.router.internal.devices.Presence;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The orders, and every stage together: which server is chosen, by which rule, and who not. */
class RoutingPipelineTest {

  private static final Candidate P = with(server("p"), ServerRole.PRIMARY);
  private static final Candidate S = server("s");
  private static final Candidate T = server("t");

  private static DistributionRule order(final RequestOrder order) {
    return DistributionRule.newBuilder().setOrder(order).build();
  }

  private static DistributionRule redirect(final String to) {
    return DistributionRule.newBuilder().setRedirectTo(to).build();
  }

  /** {@code c} with a time window of 08:00-10:00 UTC: outside it at noon. */
  private static Candidate morningsOnly(final Candidate c) {
    final StatusMessage status =
        c.status().toBuilder()
            .setCriteria(
                AvailabilityCriteria.newBuilder()
                    .addWindows(TimeWindow.newBuilder().setStartMinute(480).setEndMinute(600)))
            .build();
    return with(c, status, true);
  }

  private static Candidate limited(final Candidate c, final int inProgress, final int max) {
    final StatusMessage status =
        c.status().toBuilder()
            .setMetrics(Metrics.newBuilder().setMaxRequestsInProgress(max))
            .build();
    final Candidate l = with(c, status, inProgress < max);
    return new Candidate(
        l.device(), l.role(), l.enabled(), l.presence(), l.hasCapacity(), inProgress, status);
  }

  /** {@code c} as last sent a request at the router's {@code send}-th send. */
  private static Candidate sentAt(final Candidate c, final long send) {
    return new Candidate(
        c.device(),
        c.role(),
        c.enabled(),
        c.presence(),
        c.hasCapacity(),
        c.inProgress(),
        c.reported(),
        send);
  }

  static Stream<Arguments> cases() {
    final DistributionRule primaryFirst = DistributionRule.getDefaultInstance();
    final DistributionRule leastLoaded = order(RequestOrder.LEAST_LOADED);
    return Stream.of(
        Arguments.of("default", primaryFirst, null, List.of(S, P), "p", "PRIMARY_FIRST"),
        Arguments.of(
            "secondary first",
            order(RequestOrder.SECONDARY_FIRST),
            null,
            List.of(P, S),
            "s",
            "SECONDARY_FIRST"),
        Arguments.of(
            "primary offline",
            primaryFirst,
            null,
            List.of(with(P, Presence.DEAD), S),
            "s",
            "PRIMARY_FIRST"),
        Arguments.of(
            "primary suspected",
            primaryFirst,
            null,
            List.of(with(P, Presence.SUSPECTED), S),
            "s",
            "PRIMARY_FIRST"),
        Arguments.of(
            "only suspected left",
            primaryFirst,
            null,
            List.of(with(P, Presence.SUSPECTED), with(S, Presence.DEAD)),
            "p",
            "PRIMARY_FIRST"),
        Arguments.of("redirect", redirect("s"), null, List.of(P, S), "s", "REDIRECT to s"),
        Arguments.of(
            "redirect to an offline server",
            redirect("s"),
            null,
            List.of(P, with(S, Presence.DEAD)),
            null,
            ""),
        Arguments.of("redirect to a stranger", redirect("x"), null, List.of(P, S), null, ""),
        Arguments.of(
            "redirect beats the session", redirect("s"), "p", List.of(P, S), "s", "REDIRECT to s"),
        Arguments.of(
            "least loaded", leastLoaded, null, List.of(loaded(P, 0, 0.5), S), "s", "LEAST_LOADED"),
        Arguments.of(
            "least loaded, equal loads", leastLoaded, null, List.of(S, P), "p", "LEAST_LOADED"),
        Arguments.of(
            "least loaded, equal loads: the one sent a request least recently",
            leastLoaded,
            null,
            List.of(sentAt(P, 7), sentAt(S, 3), sentAt(T, 5)),
            "s",
            "LEAST_LOADED"),
        Arguments.of(
            "least loaded, equal loads among secondaries",
            leastLoaded,
            null,
            List.of(T, S),
            "t",
            "LEAST_LOADED"),
        Arguments.of(
            "least loaded, equal reported loads, fewer in progress",
            leastLoaded,
            null,
            List.of(loaded(P, 3, 0.2), loaded(S, 1, 0.2)),
            "s",
            "LEAST_LOADED"),
        Arguments.of(
            "least loaded by the router's count against the limit",
            leastLoaded,
            null,
            List.of(limited(P, 3, 4), loaded(S, 0, 0.5)),
            "s",
            "LEAST_LOADED"),
        Arguments.of(
            "least loaded skips a full server",
            leastLoaded,
            null,
            List.of(limited(S, 2, 2), P),
            "p",
            "LEAST_LOADED"),
        Arguments.of(
            "sticky session", primaryFirst, "s", List.of(P, S), "s", "session (sticky to s)"),
        Arguments.of(
            "sticky session whose server left its time window",
            primaryFirst,
            "s",
            List.of(P, morningsOnly(S)),
            "p",
            "PRIMARY_FIRST"),
        Arguments.of(
            "sticky session whose server is offline",
            primaryFirst,
            "s",
            List.of(P, with(S, Presence.DEAD)),
            "p",
            "PRIMARY_FIRST"),
        Arguments.of(
            "sticky session over least loaded",
            leastLoaded,
            "p",
            List.of(loaded(P, 0, 0.9), S),
            "p",
            "session (sticky to p)"),
        Arguments.of(
            "all passive",
            primaryFirst,
            null,
            List.of(with(P, ServerRole.PASSIVE), with(S, ServerRole.PASSIVE)),
            null,
            ""),
        Arguments.of("no servers", primaryFirst, null, List.of(), null, ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void choose_rulesAndFilters_pickTheExpectedServerAndSayWhy(
      final String name,
      final DistributionRule rule,
      final String sticky,
      final List<Candidate> candidates,
      final String chosen,
      final String decidedBy) {
    final Explanation.Builder why = new Explanation.Builder();
    final Optional<String> server = ServerChoice.choose(candidates, ctx(rule, sticky), why);
    assertThat(server).isEqualTo(Optional.ofNullable(chosen));
    final Explanation e = why.build("id", "echo.demo", RoutingFiltersTest.NOON, 1, server);
    assertThat(e.rule()).isEqualTo(decidedBy);
    assertThat(e.skipped().size() + (chosen == null ? 0 : 1))
        .as("every server is chosen, skipped, or behind the chosen one")
        .isLessThanOrEqualTo(candidates.size());
    if (chosen == null) {
      assertThat(e.skipped())
          .extracting(Explanation.Skip::server)
          .containsExactlyInAnyOrderElementsOf(candidates.stream().map(Candidate::device).toList());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void choose_sameInputsTwice_sameChoice(
      final String name,
      final DistributionRule rule,
      final String sticky,
      final List<Candidate> candidates,
      final String chosen,
      final String decidedBy) {
    assertThat(ServerChoice.choose(candidates, ctx(rule, sticky), new Explanation.Builder()))
        .isEqualTo(ServerChoice.choose(candidates, ctx(rule, sticky), new Explanation.Builder()));
  }
}
