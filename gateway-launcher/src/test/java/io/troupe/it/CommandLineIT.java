package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.agent.cli.TroupeCli;
import io.troupe.agent.process.AgentProcess;
import io.troupe.contract.CoapKeys;
import io.troupe.proto.v1.IdentityRole;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The command line's answers and exit codes beyond the README's walkthrough (which {@link
 * ReadmeWalkthroughIT} runs as written): a 404, a key printed with {@code --coap}, refused
 * credentials. On the shared gateway ({@link SharedGateway}); every name starts with {@code cli-}.
 * Where only the exit code and stderr matter, the CLI runs in this JVM ({@link TroupeCli#run}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CommandLineIT {

  private static GatewayFixture gw;

  record Run(int exit, String out, String err) {}

  /**
   * {@code troupe ARGS} in a JVM of its own, with {@code env} and none of the TROUPE_ variables of
   * this one: for tests where the process boundary matters (exit status, environment).
   */
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

  /** {@code troupe ARGS --port P} on the shared gateway, in this JVM. */
  private static Run cli(final String... args) {
    final List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--port", Integer.toString(gw.port())));
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final int exit =
        TroupeCli.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  @BeforeAll
  static void start() throws Exception {
    gw = SharedGateway.fixture();
  }

  @Test
  void call_toAnAddressNobodyServes_exits4WithTheStatusOnStderr() throws Exception {
    final String alice = gw.addIdentity("cli-alice", IdentityRole.CONSUMER);
    // in a JVM of its own: call and identity add print on System.out/err, not on run's writers
    final Run missing =
        troupe(
            Map.of("TROUPE_USER", "cli-alice", "TROUPE_PASSWORD", alice),
            "call",
            "nothing.cli-demo",
            "--port",
            Integer.toString(gw.port()),
            "--data",
            "x");
    assertThat(missing.exit()).as(missing.err()).isEqualTo(4);
    assertThat(missing.err()).contains("404").contains("nothing.cli-demo");
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
            "--port",
            Integer.toString(gw.port()),
            "--role",
            "consumer",
            "--coap",
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
  void badPassword_exits3WithTheReason() {
    final Run refused = cli("call", "echo.cli-demo", "--user", "cli-nobody", "--password", "wrong");
    assertThat(refused.exit()).isEqualTo(3);
    assertThat(refused.err()).contains("refused the credentials");
  }

  @Test
  void identityAdd_byANonAdmin_exits3() throws Exception {
    final String dev = gw.addIdentity("cli-dev", IdentityRole.DEVICE);
    final Run r =
        cli(
            "identity",
            "add",
            "cli-mallory",
            "--role",
            "admin",
            "--user",
            "cli-dev",
            "--password",
            dev);
    assertThat(r.exit()).as(r.err()).isEqualTo(3);
  }
}
