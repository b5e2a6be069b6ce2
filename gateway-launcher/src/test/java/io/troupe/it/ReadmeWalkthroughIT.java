package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.process.AgentProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's walkthrough, run as written: its {@code bash} blocks in order, each command in one
 * bash session (so that {@code export}, variables and jobs carry from one step to the next, as in
 * the reader's terminal), in a fresh folder where {@code ./troupe} is a small script that runs the
 * built jars on this test's ports. Every command must exit 0, print what its {@code # prints: TEXT}
 * comment promises (and {@code ; stderr: TEXT} on stderr), and the {@code kill %1} of the failover
 * step is run, after which the next call must be answered by {@code dev2}.
 *
 * <p>The substitutions are these and no more: {@code ./troupe gateway} gets {@code --port P
 * --coap-port Q --in-memory} (HiveMQ's sessions in memory: it starts faster, and the walkthrough
 * restarts nothing), every other {@code ./troupe} command {@code --port P} ({@code identity
 * coap-key} connects to nothing and gets none), {@code -p 1883} becomes {@code -p P} and {@code
 * coaps://127.0.0.1/} names port Q. What the harness adds between commands is what a reader does by
 * looking: it waits for each background agent to say it is serving, and for a killed job to end.
 *
 * <p>This class starts its own gateway, as a process, because the README does: {@code ./troupe
 * gateway} is its first step, and its catalogue step counts on a fresh gateway (the catalogue holds
 * only what the walkthrough made installable).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ReadmeWalkthroughIT {

  /** The README's own ports, and what this test puts in their place. */
  private static final String README_MQTT_PORT_FLAG = "-p 1883";

  private static final String README_DTLS_URI = "coaps://127.0.0.1/";

  private static final Pattern PROMISE =
      Pattern.compile("# prints: (?<out>[^;\\n]*?)(?:; stderr: (?<err>[^\\n]*?))?\\s*$");

  private static final Pattern KILL = Pattern.compile("^kill (%\\d+)");

  private static Path work;
  private static Process gateway;
  private static Process shell;
  private static OutputStream shellInput;
  private static int mqttPort;
  private static int dtlsPort;
  private static int commands;
  private static int promisesKept;
  private static int jobsKilled;

  @BeforeAll
  static void freshFolder() throws Exception {
    final List<String> programs = List.of("mosquitto_rr", "coap-client-openssl");
    final boolean present = programs.stream().allMatch(MosquittoRrInteropIT::onPath);
    if (!"true".equalsIgnoreCase(System.getenv("CI"))) {
      Assumptions.assumeTrue(present, "the README uses " + programs + ": not all installed");
    }
    assertThat(present).as("CI must have " + programs + " (.ci/run installs them)").isTrue();
    work =
        Files.createDirectories(Path.of("target", "it", "readme-" + System.nanoTime()))
            .toAbsolutePath();
    Files.createDirectories(work.resolve(".readme"));
    mqttPort = GatewayFixture.freePort();
    dtlsPort = SharedGateway.freeUdpPort();
    writeTroupeScript();
  }

  @AfterAll
  static void stop() throws Exception {
    if (shell != null) {
      shell.toHandle().descendants().forEach(ProcessHandle::destroy);
      shell.destroy();
      shell.waitFor(30, TimeUnit.SECONDS);
    }
    if (gateway != null) {
      gateway.toHandle().descendants().forEach(ProcessHandle::destroy);
      gateway.destroy();
      gateway.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void walkthrough_runsAsWritten() throws Exception {
    final List<Readme.Block> blocks = Readme.walkthroughBlocks(Readme.text());
    assertThat(blocks).as("the walkthrough's bash blocks").hasSizeGreaterThan(5);
    assertThat(blocks.get(0).text().strip())
        .as("step 1 starts the gateway, alone in its block")
        .isEqualTo("./troupe gateway");
    startGateway(blocks.get(0).text());

    final ProcessBuilder pb =
        new ProcessBuilder("bash")
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve(".readme/shell.log").toFile());
    clean(pb.environment());
    shell = pb.start();
    shellInput = shell.getOutputStream();
    send("set -o pipefail\n");
    for (final Readme.Block block : blocks.subList(1, blocks.size())) {
      for (final String command : Readme.commands(block.text())) {
        run(block.step(), command);
      }
    }
    assertThat(promisesKept).as("commands whose '# prints:' was checked").isGreaterThanOrEqualTo(5);
    assertThat(jobsKilled).as("the failover step's kill %1").isEqualTo(1);
  }

  /** Runs step 1's block as it is and waits until the admin can log in. */
  private static void startGateway(final String block) throws IOException {
    final ProcessBuilder pb =
        new ProcessBuilder("bash", "-c", block)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve(".readme/gateway.log").toFile());
    clean(pb.environment());
    gateway = pb.start();
    GatewayProcess.awaitAdmin(
        gateway,
        mqttPort,
        work.resolve(".readme/gateway.log"),
        work.resolve(".troupe/gateway/extensions/troupe-gateway/data"));
    assertThat(log("gateway.log"))
        .as("step 1: where the admin's password is")
        .contains("admin.secret");
  }

  /** Runs one command of step {@code step} in the shell and checks what the README promises. */
  private static void run(final int step, final String command) throws Exception {
    final int n = ++commands;
    final String substituted =
        command
            .replace(README_MQTT_PORT_FLAG, "-p " + mqttPort)
            .replace(README_DTLS_URI, "coaps://127.0.0.1:" + dtlsPort + "/");
    send(
        "{\n"
            + substituted
            + "\n} < /dev/null > .readme/"
            + n
            + ".out 2> .readme/"
            + n
            + ".err\necho \"$? $!\" > .readme/"
            + n
            + ".tmp && mv .readme/"
            + n
            + ".tmp .readme/"
            + n
            + ".exit\n");
    final Path exit = work.resolve(".readme/" + n + ".exit");
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Files.exists(exit) || !shell.isAlive());
    final String what = "step " + step + ": " + command + "\nstderr: " + log(n + ".err");
    assertThat(Files.exists(exit)).as("the shell died at " + what).isTrue();
    final String[] exitAndJob = Files.readString(exit).strip().split(" ");
    assertThat(exitAndJob[0]).as(what).isEqualTo("0");
    final Matcher promise = PROMISE.matcher(command);
    if (promise.find()) {
      assertThat(log(n + ".out").strip()).as(what).isEqualTo(promise.group("out").strip());
      if (promise.group("err") != null) {
        assertThat(log(n + ".err")).as(what).contains(promise.group("err").strip());
      }
      promisesKept++;
    }
    if (command.strip().endsWith("&")) {
      // A reader starts the next command once the agent says it serves (the first to register is
      // the primary).
      final long job = Long.parseLong(exitAndJob[1]);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .failFast(
              "step "
                  + step
                  + ": "
                  + command
                  + " ended; see "
                  + work.resolve(".readme/" + n + ".err"),
              () -> ProcessHandle.of(job).map(p -> !p.isAlive()).orElse(true))
          .until(() -> (log(n + ".out") + log(n + ".err")).contains("serving "));
    }
    final Matcher kill = KILL.matcher(command.strip());
    if (kill.find()) {
      // ... and once the shell says the job ended.
      send("wait " + kill.group(1) + "\n");
      jobsKilled++;
    }
  }

  private static void send(final String text) throws IOException {
    shellInput.write(text.getBytes(StandardCharsets.UTF_8));
    shellInput.flush();
  }

  /**
   * {@code ./troupe} in the walkthrough's folder: the repository's script runs the same jars,
   * building them first when needed; this one runs the jars this build made, on this test's ports.
   */
  private static void writeTroupeScript() throws IOException {
    final String cli = AgentProcess.cliJar().toAbsolutePath().toString();
    final String launcher = GatewayProcess.launcherJar().toAbsolutePath().toString();
    // The command line's JVMs live a second or two: the C1 compiler alone and the serial
    // collector start them with about a third less CPU, on a machine the suite keeps busy.
    final String cliJava = "exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar '" + cli + "'";
    final String script =
        "#!/usr/bin/env bash\n"
            + "set -euo pipefail\n"
            + "case \"${1:-} ${2:-}\" in\n"
            + "  \"gateway \"*) shift; exec java -jar '"
            + launcher
            + "' \"$@\" --port "
            + mqttPort
            + " --coap-port "
            + dtlsPort
            + " --in-memory ;;\n"
            + "  \"identity coap-key\") "
            + cliJava
            + " \"$@\" ;;\n"
            + "  *) "
            + cliJava
            + " \"$@\" --port "
            + mqttPort
            + " ;;\n"
            + "esac\n";
    final Path path = work.resolve("troupe");
    Files.writeString(path, script);
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
  }

  /** Nothing of the environment this test runs in may stand in for what the README says. */
  private static void clean(final Map<String, String> env) {
    env.keySet().removeIf(k -> k.startsWith("TROUPE_"));
  }

  private static String log(final String name) throws IOException {
    final Path file = work.resolve(".readme").resolve(name);
    return Files.exists(file) ? Files.readString(file) : "";
  }
}
