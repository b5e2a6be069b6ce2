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
    "410, 3", "418, 1"
  })
  void exitCode_followsTheStatus(final int status, final int exit) {
    assertThat(ExitCodes.forStatus(status)).isEqualTo(exit);
  }

  @ParameterizedTest
  @CsvSource({"500ms, 500", "5s, 5000", "2m, 120000", "1h, 3600000", "7, 7000", "2d, 172800000"})
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
    // the first line warns that --password shows in ps; then the failure, on one line
    assertThat(err.toString().lines())
        .hasSize(2)
        .last()
        .asString()
        .startsWith("troupe: connect as alice (status 503: cannot connect to 127.0.0.1:1");
  }

  @Test
  void call_badAddress_isAUsageErrorOnOneLine() {
    final StringWriter err = new StringWriter();
    final CommandLine cli = TroupeCli.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("call", "Echo_Demo", "--user", "a", "--password", "x"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString())
        .startsWith("troupe: not a service address such as echo.demo: 'Echo_Demo'")
        .contains("Try 'troupe call --help'");
  }

  @Test
  void agent_badDeviceId_isAUsageError() {
    final StringWriter err = new StringWriter();
    final CommandLine cli = TroupeCli.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(
            cli.execute(
                "agent",
                "--id",
                "Dev_1",
                "--password",
                "x",
                "--community",
                "demo",
                "--service",
                "echo",
                "--echo",
                "--port",
                "1"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("'Dev_1'");
  }

  @Test
  void failureLine_saysWhatStatusAndWhy() {
    assertThat(Failed.line("call nope.demo", 404, "no service at address 'nope.demo'"))
        .isEqualTo("troupe: call nope.demo (status 404: no service at address 'nope.demo')");
    assertThat(Failed.line("call x.demo", 504, "")).isEqualTo("troupe: call x.demo (status 504)");
    assertThat(new Failed("call x.demo", 429, "quota").exitCode()).isEqualTo(ExitCodes.POLICY);
  }

  @Test
  void logConfiguration_isOnTheClassPathUnderItsOwnName() {
    assertThat(TroupeCli.class.getClassLoader().getResource(TroupeCli.LOG_CONFIG)).isNotNull();
    assertThat(TroupeCli.class.getClassLoader().getResource("logback.xml")).isNull();
  }
}
