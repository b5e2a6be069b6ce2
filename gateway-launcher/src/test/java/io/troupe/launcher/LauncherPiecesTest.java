package io.troupe.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherPiecesTest {

  @TempDir Path tmp;

  @Test
  void hivemqConfig_listensWhereAskedWithStatisticsOff() {
    final String xml = HiveMqConfig.render("127.0.0.1", 18831, true, 1000);
    assertThat(xml)
        .contains("<port>18831</port>")
        .contains("<bind-address>127.0.0.1</bind-address>")
        .contains("<mode>in-memory</mode>")
        .contains("<server-receive-maximum>1000</server-receive-maximum>");
    assertThat(xml.replaceAll("\\s", ""))
        .contains("<anonymous-usage-statistics><enabled>false</enabled>");
    assertThat(HiveMqConfig.render("0.0.0.0", 1883, false, 10)).contains("<mode>file</mode>");
  }

  private Path zip(final String config, final String jarName) throws IOException {
    final Path zip = tmp.resolve("ext-" + System.nanoTime() + ".zip");
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(out)) {
      z.putNextEntry(new ZipEntry("troupe-gateway/"));
      z.putNextEntry(new ZipEntry("troupe-gateway/" + jarName));
      z.write(jarName.getBytes(StandardCharsets.UTF_8));
      z.putNextEntry(new ZipEntry("troupe-gateway/conf/config.xml"));
      z.write(config.getBytes(StandardCharsets.UTF_8));
    }
    return zip;
  }

  @Test
  void unpack_keepsTheDataFolderAndTheOperatorsConfig_replacesTheJar() throws IOException {
    final Path extensions = tmp.resolve("extensions");
    final Path home = ExtensionFolder.unpack(zip("<troupe/>", "troupe-gateway-1.jar"), extensions);
    Files.createDirectories(home.resolve("data"));
    Files.writeString(home.resolve("data").resolve("gateway-state.pb"), "state");
    Files.writeString(
        home.resolve("conf").resolve("config.xml"),
        "<troupe><topic-root>mine</topic-root></troupe>");
    home.resolve("troupe-gateway-1.jar")
        .toFile()
        .setLastModified(System.currentTimeMillis() - 60_000);

    ExtensionFolder.unpack(zip("<troupe/>", "troupe-gateway-2.jar"), extensions);

    assertThat(Files.readString(home.resolve("data").resolve("gateway-state.pb")))
        .isEqualTo("state");
    assertThat(Files.readString(home.resolve("conf").resolve("config.xml"))).contains("mine");
    assertThat(home.resolve("troupe-gateway-2.jar")).exists();
    assertThat(home.resolve("troupe-gateway-1.jar")).doesNotExist();
  }

  @Test
  void unpack_missingZip_saysWhereItLooked() {
    assertThatThrownBy(() -> ExtensionFolder.unpack(tmp.resolve("nope.zip"), tmp))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("nope.zip");
  }

  @Test
  void probe_connectPacket_isAWellFormedMqtt5Connect() {
    final byte[] p = MqttConnectProbe.connectPacket("probe");
    assertThat(p[0]).isEqualTo((byte) 0x10);
    assertThat(p[1]).isEqualTo((byte) (p.length - 2));
    assertThat(new String(p, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("MQTT");
    assertThat(p[8]).isEqualTo((byte) 5);
    assertThat(p[9] & 0xC0).as("no user name or password flag").isZero();
    assertThat(new String(p, p.length - 5, 5, StandardCharsets.UTF_8)).isEqualTo("probe");
  }

  @Test
  void probe_readsTheConnackReasonCode() throws IOException {
    assertThat(
            MqttConnectProbe.readConnackReasonCode(
                new ByteArrayInputStream(new byte[] {0x20, 3, 0, (byte) 0x86, 0})))
        .isEqualTo(0x86);
    assertThatThrownBy(
            () ->
                MqttConnectProbe.readConnackReasonCode(
                    new ByteArrayInputStream(new byte[] {0x30, 0})))
        .hasMessageContaining("CONNACK");
  }
}
