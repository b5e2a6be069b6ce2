package io.troupe.router.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.AvailabilityCriteria;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.router.internal.devices.Presence;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each filter stage on its own: which candidate it keeps, and the reason it gives for a skip. */
class RoutingFiltersTest {

  static final Instant NOON = Instant.parse("2026-11-24T12:00:00Z");

  static Candidate server(final String device) {
    return new Candidate(
        device,
        ServerRole.SECONDARY,
        true,
        Presence.ALIVE,
        true,
        0,
        StatusMessage.newBuilder().setAvailability(Availability.AVAILABLE).build());
  }

  static Candidate with(final Candidate c, final ServerRole role) {
    return new Candidate(
        c.device(), role, c.enabled(), c.presence(), c.hasCapacity(), c.inProgress(), c.status());
  }

  static Candidate with(final Candidate c, final Presence presence) {
    return new Candidate(
        c.device(), c.role(), c.enabled(), presence, c.hasCapacity(), c.inProgress(), c.status());
  }

  static Candidate disabled(final Candidate c) {
    return new Candidate(
        c.device(), c.role(), false, c.presence(), c.hasCapacity(), c.inProgress(), c.status());
  }

  static Candidate with(final Candidate c, final StatusMessage status, final boolean capacity) {
    return new Candidate(
        c.device(), c.role(), c.enabled(), c.presence(), capacity, c.inProgress(), status);
  }

  static Candidate loaded(final Candidate c, final int inProgress, final double load) {
    return new Candidate(
        c.device(),
        c.role(),
        c.enabled(),
        c.presence(),
        c.hasCapacity(),
        inProgress,
        c.status().toBuilder()
            .setMetrics(c.status().getMetrics().toBuilder().setLoad(load))
            .build());
  }

  static RoutingContext ctx() {
    return new RoutingContext(
        DistributionRule.getDefaultInstance(), Optional.empty(), Set.of(), Optional.empty(), NOON);
  }

  static RoutingContext ctx(final DistributionRule rule, final String sticky) {
    return new RoutingContext(rule, Optional.empty(), Set.of(), Optional.ofNullable(sticky), NOON);
  }

  static Stream<Arguments> cases() {
    final Candidate dev = server("dev");
    final RoutingContext redirect =
        ctx(DistributionRule.newBuilder().setRedirectTo("other").build(), null);
    final RoutingContext named =
        new RoutingContext(
            DistributionRule.newBuilder().setRedirectTo("dev").build(),
            Optional.of("other"),
            Set.of(),
            Optional.empty(),
            NOON);
    final RoutingContext tried =
        new RoutingContext(
            DistributionRule.getDefaultInstance(),
            Optional.empty(),
            Set.of("dev"),
            Optional.empty(),
            NOON);
    final StatusMessage busy =
        StatusMessage.newBuilder().setAvailability(Availability.BUSY).build();
    final StatusMessage full =
        StatusMessage.newBuilder()
            .setAvailability(Availability.AVAILABLE)
            .setMetrics(Metrics.newBuilder().setMaxRequestsInProgress(2))
            .build();
    final StatusMessage lowBattery =
        StatusMessage.newBuilder()
            .setCriteria(AvailabilityCriteria.newBuilder().setMinBatteryPercent(30))
            .setMetrics(Metrics.newBuilder().setBatteryPercent(10))
            .build();
    return Stream.of(
        Arguments.of(new TargetFilter(), dev, ctx(), null),
        Arguments.of(new TargetFilter(), dev, redirect, "the service is redirected to other"),
        Arguments.of(new TargetFilter(), server("other"), redirect, null),
        Arguments.of(new TargetFilter(), dev, named, "the consumer named other"),
        Arguments.of(new TriedFilter(), dev, ctx(), null),
        Arguments.of(new TriedFilter(), dev, tried, "already tried"),
        Arguments.of(new EnabledFilter(), dev, ctx(), null),
        Arguments.of(new EnabledFilter(), disabled(dev), ctx(), "disabled"),
        Arguments.of(new RoleFilter(), with(dev, ServerRole.PRIMARY), ctx(), null),
        Arguments.of(new RoleFilter(), with(dev, ServerRole.VOLUNTEER), ctx(), null),
        Arguments.of(new RoleFilter(), with(dev, ServerRole.PASSIVE), ctx(), "passive"),
        Arguments.of(new PresenceFilter(), dev, ctx(), null),
        Arguments.of(new PresenceFilter(), with(dev, Presence.SUSPECTED), ctx(), null),
        Arguments.of(new PresenceFilter(), with(dev, Presence.DEAD), ctx(), "offline"),
        Arguments.of(
            new PresenceFilter(),
            with(dev, Presence.UNKNOWN),
            ctx(),
            "no status since it connected"),
        Arguments.of(new CapacityFilter(), dev, ctx(), null),
        Arguments.of(new CapacityFilter(), with(dev, busy, false), ctx(), "busy"),
        Arguments.of(
            new CapacityFilter(),
            with(dev, full, false),
            ctx(),
            "at its limit of 2 requests in progress"),
        Arguments.of(new CriteriaFilter(), dev, ctx(), null),
        Arguments.of(
            new CriteriaFilter(),
            with(dev, lowBattery, true),
            ctx(),
            "outside its availability criteria: battery 10% below 30% and not charging"));
  }

  @ParameterizedTest(name = "{0} on {1}: {3}")
  @MethodSource("cases")
  void filter_oneCandidate_keepsItOrSaysWhy(
      final CandidateFilter filter,
      final Candidate candidate,
      final RoutingContext ctx,
      final String reason) {
    final Explanation.Builder why = new Explanation.Builder();
    final List<Candidate> kept = filter.apply(List.of(candidate), ctx, why);
    if (reason == null) {
      assertThat(kept).containsExactly(candidate);
      assertThat(why.skipped()).isEmpty();
    } else {
      assertThat(kept).isEmpty();
      assertThat(why.skipped()).containsExactly(new Explanation.Skip(candidate.device(), reason));
    }
  }

  static Stream<Arguments> suspected() {
    final Candidate a = server("a");
    final Candidate s = with(server("s"), Presence.SUSPECTED);
    return Stream.of(
        Arguments.of(List.of(a, s), List.of(a), List.of("s")),
        Arguments.of(List.of(s, a), List.of(a), List.of("s")),
        Arguments.of(List.of(s), List.of(s), List.of()),
        Arguments.of(List.of(), List.of(), List.of()));
  }

  @ParameterizedTest(name = "{0} keeps {1}")
  @MethodSource("suspected")
  void suspectedFilter_suspectedOnlyWhenNoAliveRemains(
      final List<Candidate> in, final List<Candidate> kept, final List<String> skipped) {
    final Explanation.Builder why = new Explanation.Builder();
    assertThat(new SuspectedFilter().apply(in, ctx(), why)).isEqualTo(kept);
    assertThat(why.skipped()).extracting(Explanation.Skip::server).isEqualTo(skipped);
  }
}
