package io.troupe.agent.cli;

import io.troupe.proto.v1.AreaRole;
import io.troupe.proto.v1.AvailabilityCriteria;
import io.troupe.proto.v1.Location;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.NetworkType;
import io.troupe.proto.v1.TimeWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code troupe agent}'s options on when the device serves (its availability criteria) and what it
 * reports of itself in its status (area, network type, battery), and the proto values they make.
 */
final class ServingConditions {

  @Option(
      names = "--window",
      converter = AgentConfig.WindowConverter.class,
      paramLabel = "[DAYS/]HH:MM-HH:MM[@ZONE]",
      description =
          "Serve only in this weekly window (repeat for more), e.g. mon-fri/08:00-17:00@Europe/"
              + "Helsinki; days mon..sun or 1..7, zone UTC by default.")
  List<TimeWindow> windows = new ArrayList<>();

  @Option(
      names = "--serve-area",
      paramLabel = "AREA",
      description = "Serve only while the device is in this area (repeat for more).")
  List<String> serveAreas = new ArrayList<>();

  @Option(
      names = "--area",
      paramLabel = "AREA",
      description = "The area the device is in now, reported in its status.")
  String area;

  @Option(
      names = "--worst-network",
      converter = AgentConfig.NetworkConverter.class,
      paramLabel = "LAN|WLAN|CELLULAR",
      description =
          "Serve only over this network type or a better one (a device that reports none, see"
              + " --network, is not known to be on one).")
  NetworkType worstNetwork;

  @Option(
      names = "--network",
      converter = AgentConfig.NetworkConverter.class,
      paramLabel = "LAN|WLAN|CELLULAR",
      description = "The network type the device is on now, reported in its status.")
  NetworkType network;

  @Option(
      names = "--min-battery",
      converter = AgentConfig.PercentConverter.class,
      paramLabel = "PERCENT",
      description =
          "Serve only while the battery is at least this full (see --battery; a device that"
              + " reports no level counts as empty).")
  Integer minBattery;

  @Option(
      names = "--battery",
      converter = AgentConfig.PercentConverter.class,
      paramLabel = "PERCENT",
      description = "The device's battery level now, reported in its status.")
  Integer battery;

  @Option(
      names = "--area-role",
      converter = AgentConfig.AreaRoleConverter.class,
      paramLabel = "AREA=ROLE",
      description =
          "Take ROLE (primary, secondary, volunteer) for consumers in AREA (repeat for more).")
  List<AreaRole> areaRoles = new ArrayList<>();

  /** What the device reports of itself besides what the agent measures. */
  Metrics metrics() {
    final Metrics.Builder m = Metrics.newBuilder();
    if (area != null) {
      m.setLocation(Location.newBuilder().setArea(area));
    }
    if (network != null) {
      m.setNetworkType(network);
    }
    if (battery != null) {
      m.setBatteryPercent(battery);
    }
    return m.build();
  }

  Optional<AvailabilityCriteria> criteria() {
    final AvailabilityCriteria.Builder c =
        AvailabilityCriteria.newBuilder()
            .addAllWindows(windows)
            .addAllAreas(serveAreas)
            .addAllAreaRoles(areaRoles);
    if (worstNetwork != null) {
      c.setWorstNetwork(worstNetwork);
    }
    if (minBattery != null) {
      c.setMinBatteryPercent(minBattery);
    }
    final AvailabilityCriteria built = c.build();
    return built.equals(AvailabilityCriteria.getDefaultInstance())
        ? Optional.empty()
        : Optional.of(built);
  }
}
