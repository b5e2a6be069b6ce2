package io.troupe.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** Sizes, rates and windows read from the command line and written back for people. */
class UnitsTest {

  @ParameterizedTest
  @CsvSource({
    "51200, 51200",
    "512B, 512",
    "50KB, 51200",
    "50kb, 51200",
    "50KiB, 51200",
    "50 KB, 51200",
    "0.5KB, 512",
    "50MB, 52428800",
    "1GiB, 1073741824",
    "1G, 1073741824",
    "2TB, 2199023255552"
  })
  void sizes_parse_aKilobyteBeing1024Bytes(final String text, final long bytes) {
    assertThat(Units.size(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"lots", "50XB", "-5KB", "KB", "", "5 K B"})
  void sizes_thatAreNone_areRefusedNamingTheValue(final String text) {
    assertThatThrownBy(() -> Units.size(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("50MB");
  }

  @Test
  void sizes_zeroOrBeyond2To63_areRefused() {
    assertThatThrownBy(() -> Units.size("0KB")).hasMessageContaining("positive");
    assertThatThrownBy(() -> Units.size("9000000000TB")).hasMessageContaining("too large");
  }

  @ParameterizedTest
  @CsvSource({"100KB/s, 102400", "100kb/S, 102400", "1MiB/s, 1048576", "100KB, 102400"})
  void rates_parse_perSecond(final String text, final long bytesPerSecond) {
    assertThat(Units.rate(text)).isEqualTo(bytesPerSecond);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fast", "100KB/h", "0KB/s", "/s"})
  void rates_thatAreNone_areRefusedNamingTheValue(final String text) {
    assertThatThrownBy(() -> Units.rate(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'" + text + "' is not a positive rate such as 100KB/s or 1MiB/s");
  }

  @ParameterizedTest
  @CsvSource({"10s, 10", "10, 10", "5m, 300", "24h, 86400", "1d, 86400", "7D, 604800"})
  void windows_parse_inWholeSeconds(final String text, final long seconds) {
    assertThat(Units.window(text)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @Test
  void windows_thatAreNone_areRefusedNamingTheValue() {
    assertThatThrownBy(() -> Units.window("500ms")).hasMessageContaining("'500ms'");
    assertThatThrownBy(() -> Units.window("soon")).hasMessageContaining("24h");
    assertThatThrownBy(() -> Units.window("0h")).hasMessageContaining("positive");
    assertThatThrownBy(() -> Units.window("99999999999999999999")).hasMessageContaining("too long");
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0 B",
    "1023, 1023 B",
    "1024, 1 KiB",
    "51200, 50 KiB",
    "1536, 1.5 KiB",
    "52428800, 50 MiB",
    "1073741824, 1 GiB"
  })
  void bytes_areWrittenInBinaryUnits(final long bytes, final String text) {
    assertThat(Units.bytes(bytes)).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 0 s",
    "1, 1 s",
    "7000, 7 s",
    "6500, 7 s",
    "600000, 10 min",
    "5400000, 1 h 30 min",
    "86400000, 1 d",
    "90061000, 1 d 1 h"
  })
  void durations_areWrittenInTheTwoLargestUnits(final long millis, final String text) {
    assertThat(Units.duration(Duration.ofMillis(millis))).isEqualTo(text);
  }
}
