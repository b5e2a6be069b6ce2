package io.troupe.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * MQTT 5 CONNECTs over plain sockets, for login storms: thousands of clients cost a socket each and
 * no threads. Each CONNECT asks for a clean start with a user name and password; {@link #connack}
 * reads the reason code the gateway answered (0 accepted, 0x86 bad credentials, 0x89 busy, 0x9F
 * backed off). The connections stay open until closed.
 */
final class RawConnects implements AutoCloseable {

  private final List<Socket> sockets = new ArrayList<>();

  /**
   * Opens a connection from {@code source} (a loopback address, so that one machine can play many
   * clients) and sends its CONNECT, without waiting for the answer.
   *
   * @return the connection's index, for {@link #connack}
   */
  int send(
      final String source,
      final int port,
      final String clientId,
      final String user,
      final String password) {
    try {
      final Socket socket = new Socket();
      socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(connect(clientId, user, password));
      sockets.add(socket);
      return sockets.size() - 1;
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CONNACK reason code connection {@code index} got, waiting for it. */
  int connack(final int index) {
    try {
      final DataInputStream in = new DataInputStream(sockets.get(index).getInputStream());
      final int type = in.readUnsignedByte();
      if (type != 0x20) {
        throw new IllegalStateException("not a CONNACK: " + Integer.toHexString(type));
      }
      int remaining = 0;
      for (int shift = 0, b = 0x80; (b & 0x80) != 0; shift += 7) {
        b = in.readUnsignedByte();
        remaining |= (b & 0x7F) << shift;
      }
      final byte[] body = new byte[remaining];
      in.readFully(body);
      return body[1] & 0xFF;
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One connection's whole exchange: CONNECT, then its CONNACK's reason code; then it closes. */
  static int once(
      final String source,
      final int port,
      final String clientId,
      final String user,
      final String password) {
    try (RawConnects one = new RawConnects()) {
      return one.connack(one.send(source, port, clientId, user, password));
    }
  }

  @Override
  public void close() {
    for (final Socket socket : sockets) {
      try {
        socket.close();
      } catch (final IOException e) {
        // closing anyway
      }
    }
    sockets.clear();
  }

  static byte[] connect(final String clientId, final String user, final String password) {
    final ByteArrayOutputStream variable = new ByteArrayOutputStream();
    utf8(variable, "MQTT");
    variable.write(5); // protocol version
    variable.write(0xC2); // user name, password, clean start
    variable.write(0);
    variable.write(60); // keep alive, s
    variable.write(0); // no properties
    utf8(variable, clientId);
    utf8(variable, user);
    utf8(variable, password);
    final byte[] rest = variable.toByteArray();
    final ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(0x10);
    int length = rest.length;
    do {
      final int b = length & 0x7F;
      length >>>= 7;
      packet.write(length > 0 ? b | 0x80 : b);
    } while (length > 0);
    packet.writeBytes(rest);
    return packet.toByteArray();
  }

  private static void utf8(final ByteArrayOutputStream out, final String s) {
    final byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.write(bytes.length >>> 8);
    out.write(bytes.length & 0xFF);
    out.writeBytes(bytes);
  }
}
