package io.troupe.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A slice of a reconnect storm on one thread: opens a TCP connection per client (from a loopback
 * source address of its own, so that thousands of clients cost sockets, not threads), sends each an
 * MQTT 5 CONNECT with user name and password at once, then reads every CONNACK. Not thread-safe:
 * one per thread.
 */
final class StormClients implements AutoCloseable {

  /** A client of the storm: its client id, user name and password. */
  record Client(String clientId, String user, String password) {}

  private final List<SocketChannel> channels = new ArrayList<>();
  private final java.util.Map<Integer, Integer> refusalCodes = new java.util.TreeMap<>();

  /** Connects every client in {@code clients} to {@code port} and sends its CONNECT. */
  void connectAll(final List<Client> clients, final int port, final int sourceOffset) {
    final InetSocketAddress gateway = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    try {
      for (int i = 0; i < clients.size(); i++) {
        final SocketChannel channel = SocketChannel.open();
        final int source = sourceOffset + i;
        channel.bind(
            new InetSocketAddress(
                InetAddress.getByName("127.1." + (source / 250 % 250) + "." + (1 + source % 250)),
                0));
        channel.connect(gateway);
        channel.socket().setTcpNoDelay(true);
        channels.add(channel);
        final Client c = clients.get(i);
        final ByteBuffer connect = connectPacket(c.clientId(), c.user(), c.password());
        while (connect.hasRemaining()) {
          channel.write(connect);
        }
      }
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for each connection's CONNACK and counts those that are not a success. */
  int refusals() {
    int refused = 0;
    final ByteBuffer head = ByteBuffer.allocate(4); // type, length 2, flags, reason
    for (final SocketChannel channel : channels) {
      head.clear();
      try {
        while (head.hasRemaining()) {
          if (channel.read(head) < 0) {
            throw new IOException("closed before its CONNACK");
          }
        }
      } catch (final IOException e) {
        throw new UncheckedIOException(e);
      }
      if ((head.get(0) & 0xFF) != 0x20 || head.get(3) != 0) {
        refused++;
        refusalCodes.merge(head.get(3) & 0xFF, 1, Integer::sum);
      }
    }
    return refused;
  }

  /** How many CONNACKs carried each refusing reason code, after {@link #refusals()}. */
  java.util.Map<Integer, Integer> refusalCodes() {
    return refusalCodes;
  }

  @Override
  public void close() {
    for (final SocketChannel channel : channels) {
      try {
        channel.close();
      } catch (final IOException e) {
        // closing all the same
      }
    }
  }

  private static ByteBuffer connectPacket(
      final String clientId, final String user, final String password) {
    final byte[][] strings = {
      "MQTT".getBytes(StandardCharsets.UTF_8),
      clientId.getBytes(StandardCharsets.UTF_8),
      user.getBytes(StandardCharsets.UTF_8),
      password.getBytes(StandardCharsets.UTF_8)
    };
    int length = 5; // version, flags, keep alive, no properties
    for (final byte[] s : strings) {
      length += 2 + s.length;
    }
    final ByteBuffer b = ByteBuffer.allocate(length + 5);
    b.put((byte) 0x10);
    for (int rest = length; ; ) {
      final int digit = rest & 0x7F;
      rest >>>= 7;
      b.put((byte) (rest > 0 ? digit | 0x80 : digit));
      if (rest == 0) {
        break;
      }
    }
    b.putShort((short) strings[0].length).put(strings[0]);
    b.put((byte) 5).put((byte) 0xC2).putShort((short) 60).put((byte) 0);
    for (int i = 1; i < strings.length; i++) {
      b.putShort((short) strings[i].length).put(strings[i]);
    }
    return b.flip();
  }
}
