package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.process.AgentProcess;
import io.troupe.contract.CoapKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's commands, run as a user would: identity add, agent, call, with their exit codes. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommandLineIT {

  private static GatewayFixture gw;
  private static AgentProcess agent;

  record Run(int exit, String out, String err) {}

  static Run troupe(final Map<String, String> env, final String... args) throws Exception {
    final List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                AgentProcess.cliJar().toString()));
    command.addAll(List.of(args));
    final ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("TROUPE_USER");
    pb.environment().remove("TROUPE_PASSWORD");
    pb.environment().remove("TROUPE_ADMIN_PASSWORD");
    pb.environment().remove("TROUPE_HOME");
    pb.environment().putAll(env);
    final Process p = pb.start();
    final byte[] out = p.getInputStream().readAllBytes();
    final byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  private static String port() {
    return Integer.toString(gw.port());
  }

  @BeforeAll
  static void start() throws Exception {
    gw = GatewayFixture.start("cli");
  }

  @AfterAll
  static void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
    gw.close();
  }

  @Test
  void readmeWalkthrough_identityAgentAndCall() throws Exception {
    final String secret = gw.gateway.adminSecretFile().toString();
    final Run dev =
        troupe(
            Map.of(),
            "identity",
            "add",
            "cli-dev",
            "--role",
            "device",
            "--port",
            port(),
            "--admin-secret-file",
            secret);
    assertThat(dev.exit()).as(dev.err()).isZero();
    assertThat(dev.out()).startsWith("cli-dev ");
    final Run alice =
        troupe(
            Map.of(),
            "identity",
            "add",
            "cli-alice",
            "--role",
            "consumer",
            "--port",
            port(),
            "--admin-secret-file",
            secret);
    final String alicePassword = alice.out().trim().split(" ")[1];

    agent =
        AgentProcess.echo(gw.port(), "cli-dev", dev.out().trim().split(" ")[1], "clidemo", "echo");
    await().atMost(Duration.ofSeconds(30)).until(() -> agent.serving() || !agent.alive());
    assertThat(agent.log()).contains("serving echo.clidemo as PRIMARY (device cli-dev)");

    final Map<String, String> asAlice =
        Map.of("TROUPE_USER", "cli-alice", "TROUPE_PASSWORD", alicePassword);
    final Run served =
        troupe(asAlice, "call", "echo.clidemo", "--port", port(), "--data", "hello", "-v");
    assertThat(served.exit()).as(served.err()).isZero();
    assertThat(served.out()).isEqualTo("hello\n");
    assertThat(served.err()).contains("status 200 from cli-dev");

    final Run missing = troupe(asAlice, "call", "nothing.clidemo", "--port", port(), "--data", "x");
    assertThat(missing.exit()).isEqualTo(4);
    assertThat(missing.err()).contains("404").contains("nothing.clidemo");
    assertThat(missing.out()).isEmpty();
  }

  @Test
  void identityAddWithCoap_printsTheKeyTheDtlsEndpointDerives() throws Exception {
    final Run r =
        troupe(
            Map.of(),
            "identity",
            "add",
            "cli-coap",
            "--role",
            "consumer",
            "--coap",
            "--port",
            port(),
            "--admin-secret-file",
            gw.gateway.adminSecretFile().toString());
    assertThat(r.exit()).as(r.err()).isZero();
    final String[] fields = r.out().trim().split(" ");
    assertThat(fields).hasSize(3);
    assertThat(fields[0]).isEqualTo("cli-coap");
    assertThat(fields[2])
        .isEqualTo(CoapKeys.read(gw.gateway.extensionHome()).keyOf("cli-coap"))
        .isNotEqualTo(fields[1]);
  }

  @Test
  void badPassword_exits3WithTheReason() throws Exception {
    final Run refused =
        troupe(
            Map.of("TROUPE_USER", "nobody", "TROUPE_PASSWORD", "wrong"),
            "call",
            "echo.clidemo",
            "--port",
            port());
    assertThat(refused.exit()).isEqualTo(3);
    assertThat(refused.err()).contains("refused the credentials");
  }

  @Test
  void identityAdd_byANonAdmin_exits3() throws Exception {
    final Run r =
        troupe(
            Map.of(),
            "identity",
            "add",
            "mallory",
            "--role",
            "admin",
            "--port",
            port(),
            "--user",
            "nobody",
            "--password",
            "x");
    assertThat(r.exit()).isEqualTo(3);
  }
}
