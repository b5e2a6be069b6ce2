package io.troupe.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtensionRunTest {

  @TempDir Path extension;

  @Test
  void prepare_writesThisRunsPort_clearsTheLastReport_andForgetsAnEarlierRunsPort()
      throws IOException {
    final Path run = Files.createDirectories(extension.resolve("run"));
    Files.writeString(run.resolve("started.properties"), "coap.dtls=127.0.0.1:5684\n");

    ExtensionRun.prepare(extension, OptionalInt.of(0));

    assertThat(run.resolve("started.properties")).doesNotExist();
    assertThat(run.resolve("launch.properties")).hasContent("coap.dtls.port=0");
    assertThat(ExtensionRun.report(extension)).isEmpty();

    ExtensionRun.prepare(extension, OptionalInt.empty());

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
