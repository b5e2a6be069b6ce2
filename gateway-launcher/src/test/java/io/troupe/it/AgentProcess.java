package io.troupe.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A device agent running as its own process through the {@code troupe} command line, so that a test
 * can kill it the hard way (SIGKILL: the socket closes, no MQTT DISCONNECT is sent).
 */
final class AgentProcess implements AutoCloseable {

  private final Process process;
  final List<String> output = new CopyOnWriteArrayList<>();

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
   * Starts {@code troupe agent ... --echo}, the password in {@code TROUPE_PASSWORD} (never on the
   * command line, where {@code ps} shows it), and returns at once; wait for {@link #serving()}.
   */
  static AgentProcess echo(
      final int port,
      final String device,
      final String password,
      final String community,
      final String service,
      final String... members)
      throws IOException {
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
    return start(args, Map.of("TROUPE_PASSWORD", password));
  }

  static AgentProcess start(final List<String> args, final Map<String, String> env)
      throws IOException {
    final Path jar = cliJar();
    final List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    final ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("TROUPE_PASSWORD");
    pb.environment().putAll(env);
    return new AgentProcess(pb.start());
  }

  static Path cliJar() {
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
  boolean serving() {
    return output.stream().anyMatch(l -> l.contains("serving"));
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL: no clean shutdown, no DISCONNECT. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM: the agent's shutdown hook disconnects cleanly. */
  void stop() throws InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  String log() {
    return String.join(File.separator.equals("/") ? "\n" : "\r\n", output);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
