package io.troupe.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
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

    ExtensionFolder.unpack(zip("<troupe/>", "troupe-gateway-2.jar"), extensions);

    assertThat(Files.readString(home.resolve("data").resolve("gateway-state.pb")))
        .isEqualTo("state");
    assertThat(Files.readString(home.resolve("conf").resolve("config.xml"))).contains("mine");
    assertThat(home.resolve("troupe-gateway-2.jar")).exists();
    assertThat(home.resolve("troupe-gateway-1.jar")).doesNotExist();
  }

  @Test
  void unpack_neverWritesIntoTheDataFolder_evenWhenTheZipHoldsOne() throws IOException {
    final Path extensions = tmp.resolve("extensions");
    final Path data = Files.createDirectories(extensions.resolve("troupe-gateway").resolve("data"));
    Files.writeString(data.resolve("admin.secret"), "kept");
    final Path zip = tmp.resolve("with-data.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
      z.putNextEntry(new ZipEntry("troupe-gateway/troupe-gateway-1.jar"));
      z.putNextEntry(new ZipEntry("troupe-gateway/data/admin.secret"));
      z.write("replaced".getBytes(StandardCharsets.UTF_8));
      z.putNextEntry(new ZipEntry("other-extension/x.jar"));
    }

    ExtensionFolder.unpack(zip, extensions);

    assertThat(Files.readString(data.resolve("admin.secret"))).isEqualTo("kept");
    assertThat(extensions.resolve("other-extension")).doesNotExist();
  }

  @Test
  void unpack_zipWithoutTheExtensionFolder_isRefused() throws IOException {
    final Path zip = tmp.resolve("wrong.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
      z.putNextEntry(new ZipEntry("gateway/troupe-gateway-1.jar"));
    }
    assertThatThrownBy(() -> ExtensionFolder.unpack(zip, tmp.resolve("extensions")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("troupe-gateway/");
  }

  @Test
  void unpack_missingZip_saysWhereItLooked() {
    assertThatThrownBy(() -> ExtensionFolder.unpack(tmp.resolve("nope.zip"), tmp))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("nope.zip");
  }

  @Test
  void probe_connectPacket_isAWellFormedMqtt5Connect() throws IOException {
    // a client id long enough to need two bytes of remaining length
    final String clientId = "probe-" + "x".repeat(150);
    final DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(MqttConnectProbe.connectPacket(clientId)));

    assertThat(in.readUnsignedByte()).as("CONNECT, no flags").isEqualTo(0x10);
    final int remaining = readVariableByteInteger(in);
    assertThat(remaining).as("remaining length").isEqualTo(in.available());
    assertThat(in.readUTF()).isEqualTo("MQTT");
    assertThat(in.readUnsignedByte()).as("protocol level").isEqualTo(5);
    assertThat(in.readUnsignedByte())
        .as("connect flags: clean start only, no user name, password or Will")
        .isEqualTo(0x02);
    assertThat(in.readUnsignedShort()).as("keep alive").isPositive();
    assertThat(readVariableByteInteger(in)).as("properties length").isZero();
    assertThat(in.readUTF()).isEqualTo(clientId);
    assertThat(in.available()).as("nothing after the client id").isZero();
  }

  private static int readVariableByteInteger(final DataInputStream in) throws IOException {
    int value = 0;
    int shift = 0;
    int digit;
    do {
      digit = in.readUnsignedByte();
      value |= (digit & 0x7f) << shift;
      shift += 7;
    } while ((digit & 0x80) != 0);
    return value;
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
