package io.troupe.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The baseline of the sync benchmark: Debian's {@code rsync} pushing a folder to an {@code rsync
 * --daemon} on loopback, a module on an empty folder, its config in a temporary folder. The daemon
 * runs in the foreground ({@code --no-detach}) as this process's child and is stopped on close.
 */
final class RsyncDaemon implements AutoCloseable {

  /** What one push moved, as {@code --stats} counts it, and how long the client ran. */
  record Transfer(double millis, long bytesSent, long bytesReceived) {
    long bytes() {
      return bytesSent + bytesReceived;
    }
  }

  private static final Pattern SENT = Pattern.compile("Total bytes sent: ([0-9,.]+)");
  private static final Pattern RECEIVED = Pattern.compile("Total bytes received: ([0-9,.]+)");

  private final Process daemon;
  private final Path module;
  private final int port;

  private RsyncDaemon(final Process daemon, final Path module, final int port) {
    this.daemon = daemon;
    this.module = module;
    this.port = port;
  }

  /**
   * Starts a daemon in {@code work} (config, log, and the module's empty folder {@code module/}) on
   * a free loopback port, and waits until it accepts connections.
   *
   * @throws IOException if rsync is missing or the daemon does not listen within 10 s (with its
   *     log)
   */
  static RsyncDaemon start(final Path work) throws IOException, InterruptedException {
    final Path module = Files.createDirectories(work.resolve("module"));
    final Path log = work.resolve("rsyncd.log");
    final Object uid = Files.getAttribute(module, "unix:uid");
    final Object gid = Files.getAttribute(module, "unix:gid");
    final Path config =
        Files.writeString(
            work.resolve("rsyncd.conf"),
            String.join(
                "\n",
                "use chroot = no",
                // as root, the daemon would otherwise write as nobody, who may not write here
                "uid = " + uid,
                "gid = " + gid,
                "log file = " + log,
                "pid file = " + work.resolve("rsyncd.pid"),
                "[mod]",
                "path = " + module,
                "read only = false",
                ""));
    final int port = BenchSupport.freePort();
    final Process daemon =
        new ProcessBuilder(
                "rsync",
                "--daemon",
                "--no-detach",
                "--config=" + config,
                "--port=" + port,
                "--address=127.0.0.1")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("rsyncd.out").toFile())
            .start();
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!listening(port)) {
      if (!daemon.isAlive() || System.nanoTime() > deadline) {
        daemon.destroyForcibly();
        throw new IOException(
            "rsync --daemon did not listen on port "
                + port
                + ": "
                + read(work.resolve("rsyncd.out"))
                + read(log));
      }
      Thread.sleep(20);
    }
    return new RsyncDaemon(daemon, module, port);
  }

  /** The module's folder, where pushes land. */
  Path module() {
    return module;
  }

  /**
   * Pushes {@code source}'s contents with {@code rsync -a --stats source/ rsync://…/mod/}, timing
   * the client from start to exit.
   *
   * @throws IOException if rsync exits with an error (with its output) or prints no stats
   */
  Transfer push(final Path source) throws IOException, InterruptedException {
    final List<String> command =
        List.of("rsync", "-a", "--stats", source + "/", "rsync://127.0.0.1:" + port + "/mod/");
    final long start = System.nanoTime();
    final Process client = new ProcessBuilder(command).redirectErrorStream(true).start();
    final String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    final int exit = client.waitFor();
    final double millis = (System.nanoTime() - start) / 1e6;
    if (exit != 0) {
      throw new IOException(String.join(" ", command) + " exited with " + exit + ": " + out);
    }
    return new Transfer(millis, stat(SENT, out), stat(RECEIVED, out));
  }

  /** A count from rsync's {@code --stats}, whose digits may be grouped with ',' or '.'. */
  static long stat(final Pattern line, final String stats) throws IOException {
    final Matcher m = line.matcher(stats);
    if (!m.find()) {
      throw new IOException("rsync printed no '" + line.pattern() + "' in: " + stats);
    }
    return Long.parseLong(m.group(1).replace(",", "").replace(".", ""));
  }

  static long bytesSent(final String stats) throws IOException {
    return stat(SENT, stats);
  }

  static long bytesReceived(final String stats) throws IOException {
    return stat(RECEIVED, stats);
  }

  private static boolean listening(final int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (final IOException e) {
      return false;
    }
  }

  private static String read(final Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (final IOException e) {
      return "(" + file + " unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    daemon.destroy();
    if (!daemon.waitFor(5, TimeUnit.SECONDS)) {
      daemon.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
