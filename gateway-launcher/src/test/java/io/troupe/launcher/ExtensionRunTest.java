package io.troupe.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.launcher.ExtensionRun.CoapPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtensionRunTest {

  @TempDir Path extension;

  @Test
  void prepare_writesThisRunsPort_clearsTheLastReport_andForgetsAnEarlierRunsPort()
      throws IOException {
    final Path run = Files.createDirectories(extension.resolve("run"));
    Files.writeString(run.resolve("started.properties"), "coap.dtls=127.0.0.1:5684\n");

    ExtensionRun.prepare(extension, Map.of(CoapPort.DTLS, 0, CoapPort.PLAIN, 5683));

    assertThat(run.resolve("started.properties")).doesNotExist();
    assertThat(Files.readAllLines(run.resolve("launch.properties")))
        .containsExactlyInAnyOrder("coap.dtls.port=0", "coap.plain.port=5683");
    assertThat(ExtensionRun.report(extension)).isEmpty();

    ExtensionRun.prepare(extension, Map.of());

    assertThat(run.resolve("launch.properties")).doesNotExist();
  }

  @Test
  void aTakenDtlsPort_isOneLineNamingTheFlag() throws IOException {
    report(
        "failure=UDP port 5684 on 127.0.0.1 for CoAP over DTLS could not be bound\n"
            + "failure.port=coap.dtls.port\n");

    assertThat(ExtensionRun.report(extension).orElseThrow().failureLine())
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .contains("UDP port 5684")
                    .contains("--coap-port PORT (0 for any free port)")
                    .contains("stopped")
                    .doesNotContain("\n"));
  }

  @Test
  void aTakenPlainPort_namesItsOwnFlag() throws IOException {
    report("failure=UDP port 5683 taken\nfailure.port=coap.plain.port\n");

    assertThat(ExtensionRun.report(extension).orElseThrow().failureLine())
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .endsWith(", or with --coap-plain-port PORT (0 for any free port)"));
  }

  @Test
  void anotherFailure_namesNoFlag_andAStartReportsWhereCoapIsBound() throws IOException {
    report("failure=invalid Troupe configuration: bad\n");
    assertThat(ExtensionRun.report(extension).orElseThrow().failureLine())
        .hasValueSatisfying(line -> assertThat(line).endsWith("bad").doesNotContain("--coap"));

    report("coap.dtls=127.0.0.1\\:41234\n");
    final ExtensionRun.Report started = ExtensionRun.report(extension).orElseThrow();
    assertThat(started.failureLine()).isEmpty();
    assertThat(started.coapDtls()).contains("127.0.0.1:41234");
    assertThat(started.coapPlain()).isEmpty();
  }

  private void report(final String properties) throws IOException {
    Files.createDirectories(extension.resolve("run"));
    Files.writeString(extension.resolve("run").resolve("started.properties"), properties);
  }
}
