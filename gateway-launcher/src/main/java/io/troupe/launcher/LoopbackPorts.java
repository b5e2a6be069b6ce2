package io.troupe.launcher;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for gateways that tests and benchmarks start and stop by themselves.
 *
 * <p>A port the kernel hands out for {@code bind(0)} comes from its ephemeral range, the same range
 * every outgoing connection of the machine draws its local port from. Between the moment a caller
 * learns such a port and the moment the broker binds it, any client of any process may take it (a
 * gateway of the test suite once failed to start that way). The ports given here are drawn at
 * random from the span just below the ephemeral range, which only an explicit bind can take, and
 * are checked free when drawn.
 */
public final class LoopbackPorts {

  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final int DEFAULT_EPHEMERAL_LOW = 32768;
  private static final int SPAN = 12_000;
  private static final int LOWEST = 10_000;
  private static final int DRAWS = 200;

  private LoopbackPorts() {}

  /** A TCP port free on the loopback address, outside the ephemeral range where there is room. */
  public static int freeTcp() throws IOException {
    for (int i = 0; i < DRAWS; i++) {
      final int port = draw();
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        return port;
      } catch (final BindException taken) {
        // drawn by someone else: draw again
      }
    }
    throw new IOException("no free loopback TCP port after " + DRAWS + " draws");
  }

  /** A UDP port free on the loopback address, outside the ephemeral range where there is room. */
  public static int freeUdp() throws IOException {
    for (int i = 0; i < DRAWS; i++) {
      final int port = draw();
      try (DatagramSocket socket =
          new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
        return socket.getLocalPort();
      } catch (final BindException taken) {
        // drawn by someone else: draw again
      }
    }
    throw new IOException("no free loopback UDP port after " + DRAWS + " draws");
  }

  private static int draw() {
    final int high = ephemeralLow();
    final int low = Math.max(LOWEST, high - SPAN);
    if (high - low < 1_000) {
      // the ephemeral range starts too low to leave room below it: any unprivileged port
      return ThreadLocalRandom.current().nextInt(1024, 65536);
    }
    return ThreadLocalRandom.current().nextInt(low, high);
  }

  /** The first port of the kernel's ephemeral range (Linux), else the usual default. */
  static int ephemeralLow() {
    try {
      // line by line: Files.readString trusts the size procfs reports, and reads a fragment
      final String[] range = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+");
      final int low = Integer.parseInt(range[0]);
      return low > 1024 ? low : DEFAULT_EPHEMERAL_LOW;
    } catch (final IOException | RuntimeException unknown) {
      return DEFAULT_EPHEMERAL_LOW;
    }
  }
}
