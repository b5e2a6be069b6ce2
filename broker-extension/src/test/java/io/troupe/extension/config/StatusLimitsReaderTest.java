package io.troupe.extension.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.router.StatusLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code <limits><status>} in {@code conf/config.xml}. */
class StatusLimitsReaderTest {

  @TempDir Path home;

  @Test
  void shippedConfig_readsAsTheDefaults() {
    assertThat(ConfigReader.read(Path.of("src", "main")).router().statusLimits())
        .isEqualTo(StatusLimits.defaults());
  }

  @Test
  void values_areAppliedAndKeptWhateverComesAfter() throws IOException {
    write(
        "<troupe><limits><status><max-components>10</max-components>"
            + "<max-required-components>2</max-required-components><max-areas>3</max-areas>"
            + "<max-windows>4</max-windows><max-services>5</max-services>"
            + "<max-name-chars>6</max-name-chars></status>"
            + "<max-members>7</max-members></limits><topic-root>acme</topic-root></troupe>");
    assertThat(ConfigReader.read(home).router().statusLimits())
        .isEqualTo(new StatusLimits(10, 2, 3, 4, 5, 6));
  }

  @Test
  void badValuesAndUnknownNames_stopWithTheReason() throws IOException {
    write("<troupe><limits><status><max-windows>0</max-windows></status></limits></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .isInstanceOf(ConfigReader.InvalidConfigException.class)
        .hasMessageContaining("<max-windows> must be a positive whole number, got '0'");
    write("<troupe><limits><status><max-days>3</max-days></status></limits></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .isInstanceOf(ConfigReader.InvalidConfigException.class)
        .hasMessageContaining("<max-days>");
    write("<troupe><limits><status><max-areas>99999999999</max-areas></status></limits></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home)).hasMessageContaining("too large");
  }

  private void write(final String xml) throws IOException {
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("conf").resolve("config.xml"), xml);
  }
}
