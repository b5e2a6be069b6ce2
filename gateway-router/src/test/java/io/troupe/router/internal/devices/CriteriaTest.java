package io.troupe.router.internal.devices;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.AvailabilityCriteria;
import io.troupe.proto.v1.LinkQuality;
import io.troupe.proto.v1.Location;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.NetworkType;
import io.troupe.proto.v1.TimeWindow;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Availability criteria (R9) against a status's metrics and the router's clock. */
class CriteriaTest {

  /** A Tuesday. */
  private static final Instant NOON_UTC = Instant.parse("2026-11-24T12:00:00Z");

  private static TimeWindow window(final int start, final int end, final String zone) {
    return TimeWindow.newBuilder()
        .setStartMinute(start)
        .setEndMinute(end)
        .setTimeZone(zone)
        .build();
  }

  static Stream<Arguments> windows() {
    return Stream.of(
        Arguments.of(window(11 * 60, 13 * 60, ""), NOON_UTC, true),
        Arguments.of(window(12 * 60, 13 * 60, ""), NOON_UTC, true),
        Arguments.of(window(11 * 60, 12 * 60, ""), NOON_UTC, false),
        Arguments.of(window(8 * 60, 10 * 60, ""), NOON_UTC, false),
        // 12:00 UTC is 14:00 in Helsinki in November
        Arguments.of(window(13 * 60, 15 * 60, "Europe/Helsinki"), NOON_UTC, true),
        Arguments.of(window(11 * 60, 13 * 60, "Europe/Helsinki"), NOON_UTC, false),
        Arguments.of(window(0, 0, ""), NOON_UTC, true),
        Arguments.of(window(22 * 60, 6 * 60, ""), Instant.parse("2026-11-24T23:00:00Z"), true),
        Arguments.of(window(22 * 60, 6 * 60, ""), Instant.parse("2026-11-24T05:59:00Z"), true),
        Arguments.of(window(22 * 60, 6 * 60, ""), NOON_UTC, false),
        Arguments.of(window(11 * 60, 13 * 60, "Not/AZone"), NOON_UTC, false),
        Arguments.of(window(11 * 60, 13 * 60, "").toBuilder().addDays(2).build(), NOON_UTC, true),
        Arguments.of(
            window(11 * 60, 13 * 60, "").toBuilder().addDays(6).addDays(7).build(),
            NOON_UTC,
            false),
        // days outside 1..7 name no day: alone they match none, beside a real day they are ignored
        Arguments.of(
            window(11 * 60, 13 * 60, "").toBuilder().addDays(0).addDays(8).build(),
            NOON_UTC,
            false),
        Arguments.of(
            window(11 * 60, 13 * 60, "").toBuilder().addDays(9).addDays(2).build(), NOON_UTC, true),
        // Monday 22:00 to Tuesday 06:00: Tuesday 05:00 belongs to Monday's window
        Arguments.of(
            window(22 * 60, 6 * 60, "").toBuilder().addDays(1).build(),
            Instant.parse("2026-11-24T05:00:00Z"),
            true),
        Arguments.of(
            window(22 * 60, 6 * 60, "").toBuilder().addDays(2).build(),
            Instant.parse("2026-11-24T05:00:00Z"),
            false));
  }

  @ParameterizedTest(name = "{0} at {1}: {2}")
  @MethodSource("windows")
  void inWindow_zonesDaysAndMidnight(final TimeWindow w, final Instant now, final boolean in) {
    assertThat(Criteria.inWindow(w, now)).isEqualTo(in);
  }

  private static final Metrics PHONE =
      Metrics.newBuilder()
          .setLocation(Location.newBuilder().setArea("home"))
          .setNetworkType(NetworkType.WLAN)
          .setLink(LinkQuality.newBuilder().setBandwidthKbps(5_000))
          .setBatteryPercent(40)
          .setMemoryFreeBytes(1_000_000)
          .addComponents("photos")
          .build();

  static Stream<Arguments> criteria() {
    final AvailabilityCriteria none = AvailabilityCriteria.getDefaultInstance();
    return Stream.of(
        Arguments.of(none, PHONE, null),
        Arguments.of(none, Metrics.getDefaultInstance(), null),
        Arguments.of(none.toBuilder().addAreas("home").addAreas("office").build(), PHONE, null),
        Arguments.of(
            none.toBuilder().addAreas("office").build(), PHONE, "area 'home' not in its areas"),
        Arguments.of(none.toBuilder().setWorstNetwork(NetworkType.CELLULAR).build(), PHONE, null),
        Arguments.of(none.toBuilder().setWorstNetwork(NetworkType.WLAN).build(), PHONE, null),
        Arguments.of(
            none.toBuilder().setWorstNetwork(NetworkType.LAN).build(),
            PHONE,
            "network WLAN worse than LAN"),
        Arguments.of(
            none.toBuilder().setWorstNetwork(NetworkType.CELLULAR).build(),
            Metrics.getDefaultInstance(),
            "network NETWORK_TYPE_UNSPECIFIED worse than CELLULAR"),
        Arguments.of(none.toBuilder().setMinBandwidthKbps(5_000).build(), PHONE, null),
        Arguments.of(
            none.toBuilder().setMinBandwidthKbps(5_001).build(),
            PHONE,
            "bandwidth 5000 kbps below 5001"),
        Arguments.of(none.toBuilder().setMinBatteryPercent(40).build(), PHONE, null),
        Arguments.of(
            none.toBuilder().setMinBatteryPercent(50).build(),
            PHONE,
            "battery 40% below 50% and not charging"),
        Arguments.of(
            none.toBuilder().setMinBatteryPercent(50).build(),
            PHONE.toBuilder().setCharging(true).build(),
            null),
        Arguments.of(
            none.toBuilder().setMinMemoryFreeBytes(2_000_000).build(),
            PHONE,
            "free memory 1000000 bytes below 2000000"),
        Arguments.of(none.toBuilder().addRequiredComponents("photos").build(), PHONE, null),
        Arguments.of(
            none.toBuilder().addRequiredComponents("photos").addRequiredComponents("video").build(),
            PHONE,
            "component 'video' missing"),
        Arguments.of(
            none.toBuilder().addWindows(window(8 * 60, 10 * 60, "")).build(),
            PHONE,
            "outside its time windows"),
        Arguments.of(
            none.toBuilder()
                .addWindows(window(8 * 60, 10 * 60, ""))
                .addWindows(window(11 * 60, 13 * 60, ""))
                .build(),
            PHONE,
            null));
  }

  @ParameterizedTest(name = "{0} with {1}: {2}")
  @MethodSource("criteria")
  void violation_eachCriterion(
      final AvailabilityCriteria criteria, final Metrics metrics, final String violation) {
    assertThat(Criteria.violation(criteria, metrics, NOON_UTC))
        .isEqualTo(Optional.ofNullable(violation));
  }
}
