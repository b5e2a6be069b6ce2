package io.troupe.extension.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.router.SyncLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code <sync>} in conf/config.xml (R4): the interval of sync rounds, fetches per service. */
class SyncConfigReaderTest {

  @TempDir Path home;

  @Test
  void shippedConfig_readsAsTheDefaults() {
    assertThat(ConfigReader.read(Path.of("src", "main")).sync()).isEqualTo(SyncLimits.defaults());
  }

  @Test
  void values_areApplied() throws IOException {
    write(
        "<troupe><sync><sync-interval-seconds>5</sync-interval-seconds>"
            + "<sync-fetches-per-service>2</sync-fetches-per-service></sync></troupe>");
    assertThat(ConfigReader.read(home).sync()).isEqualTo(new SyncLimits(Duration.ofSeconds(5), 2));
  }

  @Test
  void zero_orAnUnknownElement_stopsTheExtensionNamingIt() throws IOException {
    write("<troupe><sync><sync-fetches-per-service>0</sync-fetches-per-service></sync></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .isInstanceOf(ConfigReader.InvalidConfigException.class)
        .hasMessageContaining("sync-fetches-per-service");
    write("<troupe><sync><sync-interval>5</sync-interval></sync></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .isInstanceOf(ConfigReader.InvalidConfigException.class)
        .hasMessageContaining("<sync-interval>");
  }

  private void write(final String xml) throws IOException {
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("conf").resolve("config.xml"), xml);
  }
}
