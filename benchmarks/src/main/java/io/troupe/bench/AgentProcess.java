package io.troupe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An echo agent in its own JVM ({@code troupe agent --echo}, from the benchmark's own class path),
 * so that a benchmark can kill it the hard way: SIGKILL closes the socket, no DISCONNECT is sent.
 */
final class AgentProcess implements AutoCloseable {

  private final Process process;
  private final CountDownLatch serving = new CountDownLatch(1);
  private final List<String> output = new ArrayList<>();

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
                  synchronized (output) {
                    output.add(line);
                  }
                  if (line.startsWith("serving ")) {
                    serving.countDown();
                  }
                }
              } catch (final IOException e) {
                // the process ended
              }
            },
            "bench-agent-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts device {@code id} serving {@code echo.{community}}, waits until it serves.
   *
   * @param extra more options of {@code troupe agent}, such as {@code --member dev2}
   */
  static AgentProcess echo(
      final int port,
      final String id,
      final String password,
      final String community,
      final List<String> extra)
      throws IOException, InterruptedException {
    final List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Dlogback.configurationFile=bench-logback.xml");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.troupe.agent.cli.TroupeCli");
    command.addAll(
        List.of(
            "agent",
            "--port",
            Integer.toString(port),
            "--id",
            id,
            "--community",
            community,
            "--service",
            "echo",
            "--echo",
            "--status-interval",
            "1s"));
    command.addAll(extra);
    final ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("TROUPE_PASSWORD", password);
    final AgentProcess agent = new AgentProcess(pb.start());
    if (!agent.serving.await(60, TimeUnit.SECONDS)) {
      agent.close();
      throw new IllegalStateException(id + " did not start serving:\n" + agent.log());
    }
    return agent;
  }

  /** SIGKILL, and waits until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  String log() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
