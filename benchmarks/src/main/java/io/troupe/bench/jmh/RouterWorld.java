package io.troupe.bench.jmh;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.AvailabilityCriteria;
import io.troupe.proto.v1.CommunityRecord;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.GatewayState;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.ServerRecord;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.ServiceRecord;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.router.GatewayRouter;
import io.troupe.router.Principal;
import io.troupe.router.RouterConfig;
import io.troupe.router.StateChange;
import io.troupe.router.StateStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A router loaded with {@code servers} devices, all connected and reported available: either all in
 * one service of one community, or spread evenly over up to 1,000 communities of one service each.
 * Built from a saved state, as a gateway restart would, so that setting up 10,000 servers does not
 * cost 10,000 API calls.
 */
public final class RouterWorld {

  /** How the servers are spread. */
  public enum Layout {
    /** Every server in one service. */
    ONE_SERVICE,
    /** Over {@code min(servers, 1000)} communities, one service each. */
    COMMUNITIES
  }

  final GatewayRouter router;

  /** The address of each service, in community order. */
  final List<String> addresses = new ArrayList<>();

  /** The device ids, with the community each belongs to at the same index. */
  final List<String> devices = new ArrayList<>();

  final List<String> communityOf = new ArrayList<>();

  RouterWorld(final int servers, final Layout layout, final RequestOrder order) {
    final int communities = layout == Layout.ONE_SERVICE ? 1 : Math.min(servers, 1_000);
    final GatewayState.Builder state = GatewayState.newBuilder();
    final List<CommunityRecord.Builder> rows = new ArrayList<>();
    final List<ServiceRecord.Builder> services = new ArrayList<>();
    for (int c = 0; c < communities; c++) {
      final String name = "c" + c;
      rows.add(CommunityRecord.newBuilder().setName(name).setDomain(name).setOwner("d0"));
      services.add(
          ServiceRecord.newBuilder()
              .setName("echo")
              .setCommunity(name)
              .setAddress("echo." + name)
              .setRule(DistributionRule.newBuilder().setOrder(order)));
      addresses.add("echo." + name);
    }
    for (int d = 0; d < servers; d++) {
      final int c = d % communities;
      final String device = "d" + d;
      devices.add(device);
      communityOf.add("c" + c);
      rows.get(c).addMembers(device);
      services
          .get(c)
          .addServers(
              ServerRecord.newBuilder()
                  .setDevice(device)
                  .setRole(
                      services.get(c).getServersCount() == 0
                          ? ServerRole.PRIMARY
                          : ServerRole.SECONDARY)
                  .setEnabled(true)
                  .setRegisteredAtMs(d));
    }
    for (int c = 0; c < communities; c++) {
      state.addCommunities(rows.get(c).addServices(services.get(c)));
    }
    final GatewayState saved = state.build();
    router =
        new GatewayRouter(
            // no one reports again while a benchmark runs: statuses must not go stale meanwhile
            RouterConfig.defaults().withStatusTimeout(java.time.Duration.ofHours(1)),
            Clock.systemUTC(),
            new StateStore() {
              @Override
              public Optional<GatewayState> load() {
                return Optional.of(saved);
              }

              @Override
              public void write(final StateChange change) {}
            });
    for (int d = 0; d < servers; d++) {
      final String device = devices.get(d);
      router.onConnected(device(device), d);
      router.report(
          device(device), communityOf.get(d), device, status(device, Availability.AVAILABLE));
    }
  }

  /** How a server the rule ranks high is kept from serving, in the worst case. */
  public enum Unusable {
    /** It reports BUSY. */
    BUSY,
    /** Its connection is gone. */
    OFFLINE,
    /** It reports a battery below the minimum its own criteria ask. */
    OUTSIDE_CRITERIA
  }

  /**
   * Makes the {@code fraction} of servers the rules rank highest unusable in the way {@code how}
   * says: the first registered (PRIMARY_FIRST ranks by registration), now reporting the lowest load
   * (LEAST_LOADED ranks by load); the others report a higher load, so that every decision has to
   * pass over the unusable ones first.
   */
  void degrade(final double fraction, final Unusable how) {
    final int unusable = (int) Math.round(devices.size() * fraction);
    for (int d = 0; d < devices.size(); d++) {
      final String device = devices.get(d);
      if (d >= unusable) {
        router.report(device(device), communityOf.get(d), device, status(device, 0.5, false));
      } else if (how == Unusable.OFFLINE) {
        router.report(device(device), communityOf.get(d), device, status(device, 0.0, false));
        router.onDisconnected(device(device), d);
      } else if (how == Unusable.BUSY) {
        router.report(
            device(device),
            communityOf.get(d),
            device,
            StatusMessage.newBuilder()
                .setDeviceId(device)
                .setAvailability(Availability.BUSY)
                .setMetrics(Metrics.newBuilder().setLoad(0.0).setMaxRequestsInProgress(64))
                .build()
                .toByteString());
      } else {
        router.report(device(device), communityOf.get(d), device, status(device, 0.0, true));
      }
    }
  }

  /** An AVAILABLE status with {@code load}, inside or outside its own battery criterion. */
  private static ByteString status(final String device, final double load, final boolean flat) {
    return StatusMessage.newBuilder()
        .setDeviceId(device)
        .setAvailability(Availability.AVAILABLE)
        .setMetrics(
            Metrics.newBuilder()
                .setLoad(load)
                .setBatteryPercent(flat ? 10 : 90)
                .setMaxRequestsInProgress(64))
        .setCriteria(AvailabilityCriteria.newBuilder().setMinBatteryPercent(50))
        .build()
        .toByteString();
  }

  static Principal device(final String name) {
    return new Principal(name, IdentityRole.DEVICE, name);
  }

  /** A status as an agent sends it: availability and a few metrics. */
  static ByteString status(final String device, final Availability availability) {
    return StatusMessage.newBuilder()
        .setDeviceId(device)
        .setAvailability(availability)
        .setMetrics(
            Metrics.newBuilder()
                .setLoad(0.25)
                .setRequestsInProgress(1)
                .setMaxRequestsInProgress(64))
        .build()
        .toByteString();
  }
}
