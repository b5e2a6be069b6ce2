package io.troupe.bench;

import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The baseline a CoAP user would otherwise put between clients and a device: libcoap's forward
 * proxy, {@code coap-server-notls -P}, a process of its own on a free loopback port, started and
 * stopped with this object.
 */
final class CoapProxy implements AutoCloseable {

  static final String PROGRAM = "coap-server-notls";

  private final Process process;
  private final Path log;
  final int port;

  private CoapProxy(final Process process, final Path log, final int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts the proxy and waits until it answers a CoAP ping.
   *
   * @throws IllegalStateException when {@value #PROGRAM} is not on the PATH (package {@code
   *     libcoap3-bin}), or when the proxy exits or does not answer within 5 s
   */
  static CoapProxy start() throws IOException, InterruptedException {
    final Path program =
        find(PROGRAM)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        PROGRAM
                            + " is not on the PATH: the CoAP benchmark's baseline is libcoap's"
                            + " forward proxy (install libcoap3-bin)"));
    final int port = CoapPeers.freePort();
    final Path log = Files.createTempFile("troupe-bench-coap-proxy", ".log");
    // a name of its own, so that every request naming another host in Proxy-Uri is forwarded
    final Process process =
        new ProcessBuilder(
                List.of(
                    program.toString(),
                    "-A",
                    "127.0.0.1",
                    "-p",
                    Integer.toString(port),
                    "-P",
                    ",troupe-bench-proxy",
                    "-v",
                    "3"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    final CoapProxy proxy = new CoapProxy(process, log, port);
    try {
      proxy.awaitPong();
    } catch (final RuntimeException | IOException | InterruptedException e) {
      proxy.close();
      throw e;
    }
    return proxy;
  }

  /** Whether {@value #PROGRAM} is on the PATH. */
  static boolean installed() {
    return find(PROGRAM).isPresent();
  }

  /** The proxy's URI, to which requests are sent with a Proxy-Uri option. */
  String uri() {
    return "coap://127.0.0.1:" + port;
  }

  /** The proxy's process id, for profiling it or watching its CPU time. */
  long pid() {
    return process.pid();
  }

  /** Sends CoAP pings (an empty confirmable message) until one is answered with a reset. */
  private void awaitPong() throws IOException, InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    try (DatagramSocket socket = new DatagramSocket(CoapPeers.loopback(0))) {
      socket.setSoTimeout(100);
      final byte[] ping = {0x40, 0x00, 0x12, 0x34};
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              PROGRAM + " exited with " + process.exitValue() + ": " + Files.readString(log));
        }
        socket.send(new DatagramPacket(ping, ping.length, CoapPeers.loopback(port)));
        try {
          final DatagramPacket pong = new DatagramPacket(new byte[16], 16);
          socket.receive(pong);
          if (pong.getLength() >= 4 && (pong.getData()[0] & 0x30) == 0x30) {
            return;
          }
        } catch (final SocketTimeoutException notYet) {
          // not listening yet: ping again
        }
      }
    }
    throw new IllegalStateException(PROGRAM + " did not answer a ping on port " + port + " in 5 s");
  }

  private static Optional<Path> find(final String name) {
    final String path = System.getenv().getOrDefault("PATH", "");
    for (final String dir : path.split(File.pathSeparator)) {
      final Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    try {
      Files.deleteIfExists(log);
    } catch (final IOException e) {
      // a log left in the temporary folder harms nobody
    }
  }
}
