package io.troupe.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class CliTest {

  @ParameterizedTest
  @CsvSource({
    "200, 0", "201, 0", "400, 2", "403, 3", "404, 4", "429, 5", "503, 6", "504, 7", "500, 1",
    "418, 1"
  })
  void exitCode_followsTheStatus(final int status, final int exit) {
    assertThat(ExitCodes.forStatus(status)).isEqualTo(exit);
  }

  @ParameterizedTest
  @CsvSource({"500ms, 500", "5s, 5000", "2m, 120000", "1h, 3600000", "7, 7000"})
  void durations_parse(final String text, final long millis) {
    assertThat(new DurationConverter().convert(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @Test
  void durations_badOnesAreRefusedWithTheValue() {
    assertThatThrownBy(() -> new DurationConverter().convert("soon"))
        .hasMessageContaining("'soon'");
    assertThatThrownBy(() -> new DurationConverter().convert("0s"))
        .hasMessageContaining("positive");
  }

  @Test
  void agent_needsExactlyOneWayToServe() {
    final StringWriter err = new StringWriter();
    final CommandLine cli = TroupeCli.commandLine();
    cli.setErr(new PrintWriter(err));
    final int code =
        cli.execute(
            "agent",
            "--id",
            "dev1",
            "--password",
            "x",
            "--community",
            "demo",
            "--service",
            "echo",
            "--echo",
            "--serve-dir",
            "/tmp");
    assertThat(code).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("mutually exclusive");
  }

  @Test
  void call_withoutPassword_isAUsageErrorNamingTheWays() {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("TROUPE_PASSWORD") == null);
    final StringWriter err = new StringWriter();
    final CommandLine cli = TroupeCli.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("call", "echo.demo", "--user", "alice", "--port", "1"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--password").contains("TROUPE_PASSWORD");
  }

  @Test
  void call_unreachableGateway_isUnavailable() {
    final StringWriter err = new StringWriter();
    final CommandLine cli = TroupeCli.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(
            cli.execute("call", "echo.demo", "--user", "alice", "--password", "x", "--port", "1"))
        .isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(err.toString()).contains("troupe: cannot connect");
  }
}
