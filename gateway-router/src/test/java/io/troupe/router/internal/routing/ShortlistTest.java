package io.troupe.router.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.AreaRole;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.AvailabilityCriteria;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.TimeWindow;
import io.troupe.router.RouterFixture;
import io.troupe.router.internal.devices.InMemoryServerStates;
import io.troupe.router.internal.devices.ReportedStatus;
import io.troupe.router.internal.devices.ServerState;
import io.troupe.router.internal.devices.ServerStates;
import io.troupe.router.internal.registry.Community;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.ServerEntry;
import io.troupe.router.internal.registry.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A decision looks at a shortlist from the service's {@link ServerRanking}, kept up to date event
 * by event; the stages run over every server must choose the same. Random servers (roles, enabled
 * flags, statuses with loads, limits, time windows and roles by area), random events (statuses,
 * connects, disconnects, requests sent and finished, suspicions, time passing, registration and
 * rule changes, redirects) and random requests (already tried servers, sessions, areas, draws),
 * from a seed: {@code -Dtroupe.shortlist.seed=N}.
 */
class ShortlistTest {

  private static final long SEED = Long.getLong("troupe.shortlist.seed", 6_2026L);
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final List<RequestOrder> ORDERS =
      List.of(
          RequestOrder.PRIMARY_FIRST,
          RequestOrder.SECONDARY_FIRST,
          RequestOrder.LEAST_LOADED,
          RequestOrder.WEIGHTED);

  private final Random random = new Random(SEED);
  private long nowMs = Instant.parse("2026-11-25T12:00:00Z").toEpochMilli();
  private long sends;
  private int compared;

  @Test
  void next_randomServersAndEvents_choosesWhatTheStagesChooseAmongAll() {
    for (int world = 0; world < 500; world++) {
      runWorld(world);
    }
    assertThat(compared).as("decisions compared").isGreaterThan(5_000);
  }

  private void runWorld(final int world) {
    final Registry registry = new Registry();
    final Community community = new Community("demo", "demo", "dev0", Set.of());
    registry.addCommunity(community);
    final Service service =
        new Service(
            community,
            "echo",
            "echo.demo",
            DistributionRule.newBuilder().setOrder(ORDERS.get(random.nextInt(4))).build());
    registry.addService(service);
    final ServerStates servers = new InMemoryServerStates();
    // at most WEIGHTED_SHORTLIST servers, so that WEIGHTED draws among the same ones either way
    final int count = 1 + random.nextInt(Candidates.WEIGHTED_SHORTLIST);
    final List<String> devices = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      final String device = "dev" + i;
      devices.add(device);
      registry.addServer(service, new ServerEntry(device, role(), random.nextInt(5) > 0, i));
      servers.getOrAdd(
          device,
          d ->
              new ServerState(() -> Candidates.moved(registry, d, servers.get(d), nowMs, TIMEOUT)));
    }
    final Sessions sessions = new Sessions(100);
    for (int event = 0; event < 120; event++) {
      final String device = devices.get(random.nextInt(count));
      final ServerState state = servers.get(device);
      final int dice = random.nextInt(100);
      if (dice < 30) {
        state.status(ReportedStatus.of(status()), nowMs);
      } else if (dice < 38) {
        state.connected(event);
      } else if (dice < 43) {
        state.disconnected(-1);
      } else if (dice < 55) {
        state.started(++sends);
      } else if (dice < 65) {
        state.finished();
      } else if (dice < 70) {
        state.suspect();
      } else if (dice < 73) {
        state.replied();
      } else if (dice < 78) {
        nowMs += random.nextInt(20_000);
        servers.forEach((d, s) -> s.availabilityChanged(nowMs, TIMEOUT));
      } else if (dice < 82) {
        // what an API change does: the registration changes and the community's epoch moves on
        final ServerEntry e = service.servers().get(device);
        if (random.nextBoolean()) {
          e.setEnabled(!e.isEnabled());
        } else {
          e.setRole(role());
        }
        community.registrationsChanged();
      } else if (dice < 85) {
        service.changeRule(
            DistributionRule.newBuilder()
                .setOrder(ORDERS.get(random.nextInt(4)))
                .setRedirectTo(random.nextInt(5) == 0 ? device : "")
                .build());
      } else {
        compare(registry, service, servers, sessions, devices);
      }
    }
  }

  private void compare(
      final Registry registry,
      final Service service,
      final ServerStates servers,
      final Sessions sessions,
      final List<String> devices) {
    final Map<String, String> properties = new HashMap<>();
    if (random.nextBoolean()) {
      properties.put("session", "s" + random.nextInt(3));
    }
    if (random.nextBoolean()) {
      properties.put("area", random.nextBoolean() ? "home" : "office");
    }
    final PendingRequest p =
        new PendingRequest(
            "r" + compared,
            RouterFixture.request("echo.demo", properties),
            service,
            null,
            nowMs + 10_000);
    if (random.nextInt(3) == 0) {
      sessions.bind(p, devices.get(random.nextInt(devices.size())));
    }
    for (final String d : devices) {
      if (random.nextInt(6) == 0) {
        p.tried.add(d);
      }
    }
    final double draw = random.nextDouble();
    final Instant now = Instant.ofEpochMilli(nowMs);
    final ServerChoice.Choice shortlisted =
        ServerChoice.choose(p, servers, sessions, now, TIMEOUT, draw);
    final List<Candidate> all = new ArrayList<>();
    for (final ServerEntry e : service.servers().values()) {
      all.add(Candidates.candidate(e, servers.get(e.device()), nowMs, TIMEOUT));
    }
    final RoutingContext ctx =
        new RoutingContext(
            service.rule(),
            Optional.empty(),
            new LinkedHashSet<>(p.tried),
            sessions.boundServer(p),
            now,
            Optional.ofNullable(properties.get("area")),
            draw);
    final Explanation.Builder why = new Explanation.Builder();
    final Optional<String> expected = ServerChoice.choose(all, ctx, why);
    assertThat(shortlisted.server())
        .as("rule %s, servers %s, request %s", service.rule().getOrder(), all, properties)
        .isEqualTo(expected);
    if (expected.isPresent()) {
      assertThat(shortlisted.explanation().rule())
          .isEqualTo(why.build("r", "a", now, 1, expected).rule());
    } else if (service.rule().getRedirectTo().isEmpty()) {
      assertThat(shortlisted.explanation().skipped())
          .as("with no server usable, every one is looked at")
          .hasSameSizeAs(all);
    }
    compared++;
  }

  private ServerRole role() {
    return List.of(
            ServerRole.PRIMARY, ServerRole.SECONDARY, ServerRole.VOLUNTEER, ServerRole.PASSIVE)
        .get(random.nextInt(4));
  }

  private StatusMessage status() {
    final int a = random.nextInt(10);
    final AvailabilityCriteria.Builder criteria = AvailabilityCriteria.newBuilder();
    if (random.nextInt(4) == 0) {
      final int start = random.nextInt(24 * 60 - 1);
      criteria.addWindows(
          TimeWindow.newBuilder()
              .setStartMinute(start)
              .setEndMinute(start + 1 + random.nextInt(24 * 60 - start)));
    }
    if (random.nextInt(4) == 0) {
      criteria.addAreaRoles(
          AreaRole.newBuilder()
              .setArea(random.nextBoolean() ? "home" : "office")
              .setRole(random.nextBoolean() ? ServerRole.PRIMARY : ServerRole.SECONDARY));
    }
    return StatusMessage.newBuilder()
        .setAvailability(
            a < 7 ? Availability.AVAILABLE : a < 9 ? Availability.BUSY : Availability.OFFLINE)
        .setCriteria(criteria)
        .setMetrics(
            Metrics.newBuilder()
                .setLoad(random.nextInt(5) / 4.0)
                .setRequestsInProgress(random.nextInt(3))
                .setMaxRequestsInProgress(random.nextInt(4)))
        .build();
  }
}
