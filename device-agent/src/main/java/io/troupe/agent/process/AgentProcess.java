package io.troupe.agent.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jetbrains.annotations.NotNull;

/**
 * A device agent running as its own process through the {@code troupe} command line, so that a test
 * or a benchmark can kill it the hard way (SIGKILL: the socket closes, no MQTT DISCONNECT is sent).
 * Started either from the packaged command line jar ({@link #start}, as a user runs it) or from the
 * class path of the calling JVM ({@link #startOnClassPath}, for a program that ships the agent
 * among its libraries, such as the benchmarks). The password goes in {@code TROUPE_PASSWORD}, never
 * on the command line, where {@code ps} shows it.
 *
 * <p>Test support shared by the gateway's integration tests and the benchmarks; not part of the
 * agent's library API.
 */
public final class AgentProcess implements AutoCloseable {

  private static final String MAIN = "io.troupe.agent.cli.TroupeCli";

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();

  private AgentProcess(final Process process) {
    this.process = process;
    final Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  output.add(line);
                }
              } catch (final IOException e) {
                // the process ended
              }
            },
            "agent-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * The arguments of {@code troupe agent} serving {@code service} in {@code community} as an echo,
   * reporting its status every second, with {@code members} as the other members to invite.
   */
  public static @NotNull List<String> echoArgs(
      final int port,
      final @NotNull String device,
      final @NotNull String community,
      final @NotNull String service,
      final @NotNull String... members) {
    final List<String> args =
        new ArrayList<>(
            List.of(
                "agent",
                "--port",
                Integer.toString(port),
                "--id",
                device,
                "--community",
                community,
                "--service",
                service,
                "--echo",
                "--status-interval",
                "1s"));
    for (final String member : members) {
      args.add("--member");
      args.add(member);
    }
    return args;
  }

  /**
   * Starts {@code troupe agent ... --echo} from the packaged jar and returns at once; wait for
   * {@link #serving()}.
   */
  public static @NotNull AgentProcess echo(
      final int port,
      final @NotNull String device,
      final @NotNull String password,
      final @NotNull String community,
      final @NotNull String service,
      final @NotNull String... members)
      throws IOException {
    return start(
        echoArgs(port, device, community, service, members), Map.of("TROUPE_PASSWORD", password));
  }

  /** Runs {@code troupe} with {@code args} from the packaged jar ({@link #cliJar()}). */
  public static @NotNull AgentProcess start(
      final @NotNull List<String> args, final @NotNull Map<String, String> env) throws IOException {
    return launch(List.of("-jar", cliJar().toString()), args, env);
  }

  /**
   * Runs {@code troupe} with {@code args} from this JVM's class path, logging as {@code
   * logbackConfiguration} says (a resource name, or empty for the default).
   */
  public static @NotNull AgentProcess startOnClassPath(
      final @NotNull List<String> args,
      final @NotNull Map<String, String> env,
      final @NotNull String logbackConfiguration)
      throws IOException {
    final List<String> java = new ArrayList<>();
    if (!logbackConfiguration.isEmpty()) {
      java.add("-Dlogback.configurationFile=" + logbackConfiguration);
    }
    java.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN));
    return launch(java, args, env);
  }

  private static AgentProcess launch(
      final List<String> java, final List<String> args, final Map<String, String> env)
      throws IOException {
    final List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(java);
    command.addAll(args);
    final ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("TROUPE_PASSWORD");
    pb.environment().putAll(env);
    return new AgentProcess(pb.start());
  }

  /**
   * The packaged command line: system property {@code troupe.cli.jar}, by default the device
   * agent's build output beside the calling module.
   *
   * @throws IllegalStateException when it is not built
   */
  public static @NotNull Path cliJar() {
    final Path jar =
        Path.of(
            System.getProperty(
                "troupe.cli.jar", "../device-agent/target/troupe-device-agent-0.1.0-SNAPSHOT.jar"));
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          "the troupe command line is not built: " + jar.toAbsolutePath());
    }
    return jar;
  }

  /** Whether the agent said it is serving. */
  public boolean serving() {
    return output.stream().anyMatch(l -> l.contains("serving"));
  }

  /**
   * Waits until the agent says it is serving.
   *
   * @throws IllegalStateException with the agent's output when it does not within {@code timeout}
   *     or ends first
   */
  public void awaitServing(final @NotNull Duration timeout) throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (!serving()) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new IllegalStateException("the agent did not start serving:\n" + log());
      }
      Thread.sleep(20);
    }
  }

  /** The lines the agent has printed so far, standard error included. */
  public @NotNull List<String> output() {
    return List.copyOf(output);
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** The exit code once the process has ended; empty while it runs. */
  public @NotNull java.util.OptionalInt exitCode() {
    return process.isAlive()
        ? java.util.OptionalInt.empty()
        : java.util.OptionalInt.of(process.exitValue());
  }

  /** SIGKILL: no clean shutdown, no DISCONNECT; waits until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM: the agent's shutdown hook disconnects cleanly. */
  public void stop() throws InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  public @NotNull String log() {
    return String.join(System.lineSeparator(), output);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
