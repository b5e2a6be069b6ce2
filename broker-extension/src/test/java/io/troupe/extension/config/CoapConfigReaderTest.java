package io.troupe.extension.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.coap.CoapBridgeConfig;
import io.troupe.coap.ObserveLimits;
import io.troupe.coap.UploadLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoapConfigReaderTest {

  @TempDir Path home;

  @Test
  void shippedConfig_dtlsOn5684_plainOff() {
    final CoapBridgeConfig coap = ConfigReader.read(Path.of("src", "main")).coap();
    assertThat(coap.enabled()).isTrue();
    assertThat(coap.dtls()).contains(new InetSocketAddress(5684));
    assertThat(coap.plain()).isEmpty();
    // no <bind>: DTLS listens where MQTT does
    assertThat(coap.bindingDtlsTo(InetAddress.getLoopbackAddress()).dtls())
        .contains(new InetSocketAddress(InetAddress.getLoopbackAddress(), 5684));
  }

  @Test
  void shippedConfig_uploadLimitsAreTheDefaults() {
    assertThat(ConfigReader.read(Path.of("src", "main")).coap().uploads())
        .isEqualTo(UploadLimits.defaults());
  }

  @Test
  void uploads_eachLimitIsRead() throws IOException {
    write(
        "<troupe><coap><uploads><per-identity>2</per-identity><per-peer>3</per-peer>"
            + "<total>5</total><total-bytes>4096</total-bytes>"
            + "<idle-timeout-ms>1500</idle-timeout-ms></uploads></coap></troupe>");
    assertThat(ConfigReader.read(home).coap().uploads())
        .isEqualTo(new UploadLimits(2, 3, 5, 4096, Duration.ofMillis(1500)));
  }

  @Test
  void uploads_zeroOrUnknown_stopsWithTheReason() throws IOException {
    write("<troupe><coap><uploads><per-peer>0</per-peer></uploads></coap></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .isInstanceOf(ConfigReader.InvalidConfigException.class)
        .hasMessageContaining("<per-peer> must be a positive whole number");

    write("<troupe><coap><uploads><per-user>3</per-user></uploads></coap></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .isInstanceOf(ConfigReader.InvalidConfigException.class)
        .hasMessageContaining("unknown element <per-user>");
  }

  @Test
  void explicitBind_isKept_whateverMqttListensOn() throws IOException {
    write("<troupe><coap><dtls><bind>0.0.0.0</bind><port>5684</port></dtls></coap></troupe>");
    final CoapBridgeConfig coap =
        ConfigReader.read(home).coap().bindingDtlsTo(InetAddress.getLoopbackAddress());
    assertThat(coap.dtls()).contains(new InetSocketAddress("0.0.0.0", 5684));
  }

  @Test
  void noCoapElement_meansTheDefaults() throws IOException {
    write("<troupe/>");
    assertThat(ConfigReader.read(home).coap()).isEqualTo(CoapBridgeConfig.defaults());
  }

  @Test
  void plain_needsBindPortAndActAs() throws IOException {
    write(
        "<troupe><coap><dtls><enabled>false</enabled></dtls><plain><bind>127.0.0.1</bind>"
            + "<port>5683</port><act-as>carol</act-as></plain></coap></troupe>");
    final CoapBridgeConfig coap = ConfigReader.read(home).coap();
    assertThat(coap.dtls()).isEmpty();
    assertThat(coap.plain())
        .contains(new CoapBridgeConfig.Plain(new InetSocketAddress("127.0.0.1", 5683), "carol"));

    write("<troupe><coap><plain><bind>127.0.0.1</bind><port>5683</port></plain></coap></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .isInstanceOf(ConfigReader.InvalidConfigException.class)
        .hasMessageContaining("<act-as>");
  }

  @Test
  void badValues_areRefusedWithTheElement() throws IOException {
    write("<troupe><coap><dtls><port>70000</port></dtls></coap></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home)).hasMessageContaining("<port>");
    write("<troupe><coap><enabled>yes</enabled></coap></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home)).hasMessageContaining("<enabled>");
    write("<troupe><coap><udp/></coap></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home)).hasMessageContaining("unknown element <udp>");
  }

  @Test
  void observe_shippedConfig_isTheDefaults_andEachBoundIsRead() throws IOException {
    assertThat(ConfigReader.read(Path.of("src", "main")).coap().observe())
        .isEqualTo(ObserveLimits.DEFAULTS);
    write(
        "<troupe><coap><observe><max-per-identity>3</max-per-identity>"
            + "<max-per-peer>4</max-per-peer><max-total>9</max-total></observe></coap></troupe>");
    assertThat(ConfigReader.read(home).coap().observe()).isEqualTo(new ObserveLimits(3, 4, 9));
  }

  @Test
  void observe_oneIdentityCouldFillTheTotal_orNotPositive_stopsWithTheReason() throws IOException {
    write(
        "<troupe><coap><observe><max-per-identity>50</max-per-identity>"
            + "<max-total>50</max-total></observe></coap></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .isInstanceOf(ConfigReader.InvalidConfigException.class)
        .hasMessageContaining("<coap><observe>")
        .hasMessageContaining("could fill it");
    write("<troupe><coap><observe><max-per-peer>0</max-per-peer></observe></coap></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home)).hasMessageContaining("<max-per-peer>");
  }

  private void write(final String xml) throws IOException {
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("conf").resolve("config.xml"), xml);
  }
}
