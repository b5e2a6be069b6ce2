package io.troupe.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway as its own process, started the way a user does ({@code java -jar
 * troupe-gateway-launcher-*.jar --home DIR --port P}), so that a test can kill it with SIGKILL: no
 * shutdown hook, no extension stop, no store close.
 */
final class GatewayProcess implements AutoCloseable {

  private final Process process;
  final Path home;
  final int port;

  private GatewayProcess(final Process process, final Path home, final int port) {
    this.process = process;
    this.home = home;
    this.port = port;
  }

  /**
   * Starts the gateway on {@code home}, with {@code flags} added to its command line, and returns
   * once the admin can connect.
   */
  static GatewayProcess start(final Path home, final int port, final String... flags)
      throws IOException {
    final GatewayProcess gateway = launch(home, port, flags);
    gateway.awaitServing();
    return gateway;
  }

  /** Starts the gateway as {@link #start} does, without waiting: several can start at once. */
  static GatewayProcess launch(final Path home, final int port, final String... flags)
      throws IOException {
    final List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(launcherJar().toString());
    command.addAll(
        List.of("--home", home.toString(), "--port", Integer.toString(port), "--in-memory"));
    command.addAll(List.of(flags));
    final Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(home.resolve("gateway-process.log").toFile()))
            .start();
    return new GatewayProcess(process, home, port);
  }

  /**
   * Returns once the admin can connect. The bound is generous: on a loaded machine a HiveMQ JVM
   * took 45 s to start, where it takes about 5 s on a quiet one.
   */
  void awaitServing() {
    awaitAdmin(process, port, home.resolve("gateway-process.log"), dataFolder());
  }

  /**
   * Returns once the admin can connect to the gateway {@code process} on {@code port}, with the
   * password in {@code dataFolder}/admin.secret; fails at once if the process exits ({@code log}
   * says why).
   */
  static void awaitAdmin(
      final Process process, final int port, final Path log, final Path dataFolder) {
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new AssertionError("the gateway exited: see " + log);
              }
              final String admin = Files.readString(dataFolder.resolve("admin.secret")).trim();
              MqttTestClient.connect(port, "probe", "admin", admin).close();
              return true;
            });
  }

  /** What the gateway printed and logged so far. */
  String output() throws IOException {
    return Files.readString(home.resolve("gateway-process.log"));
  }

  /** The extension's data folder inside the gateway's home. */
  Path dataFolder() {
    return home.resolve("extensions").resolve("troupe-gateway").resolve("data");
  }

  String adminPassword() throws IOException {
    return Files.readString(dataFolder().resolve("admin.secret")).trim();
  }

  /** SIGKILL, and waits until the process is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the gateway did not die");
    }
  }

  static Path launcherJar() throws IOException {
    try (DirectoryStream<Path> jars =
        Files.newDirectoryStream(Path.of("target"), "troupe-gateway-launcher-*.jar")) {
      for (final Path jar : jars) {
        return jar;
      }
    }
    throw new IllegalStateException("the launcher jar is not built in target/");
  }

  /**
   * SIGKILL: no test here asserts anything of a gateway's orderly stop, which takes HiveMQ about 4
   * s, and what the gateway leaves lies in its own folder under {@code target/}.
   */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
