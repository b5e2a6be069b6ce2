package io.troupe.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * CoAP messages encoded by hand (RFC 7252, section 3) on a plain UDP socket, so that a test can do
 * what a CoAP library never does: send the very same message, message id included, twice.
 */
final class RawCoap implements AutoCloseable {

  static final int CON = 0;
  static final int POST = 2;

  /** The code byte of 2.05 Content. */
  static final int CONTENT = 0x45;

  private static final int URI_PATH = 11;
  private final DatagramSocket socket;
  private final InetSocketAddress server;

  RawCoap(final int port) throws IOException {
    this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /** A confirmable POST of {@code payload} to {@code segments} (each under 13 bytes). */
  static byte[] post(
      final int messageId, final byte[] token, final List<String> segments, final String payload) {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x40 | CON << 4 | token.length); // version 1, type, token length
    out.write(POST);
    out.write(messageId >> 8 & 0xFF);
    out.write(messageId & 0xFF);
    out.writeBytes(token);
    int previous = 0;
    for (final String segment : segments) {
      final byte[] value = segment.getBytes(StandardCharsets.UTF_8);
      if (value.length >= 13) {
        throw new IllegalArgumentException("a segment this helper encodes has under 13 bytes");
      }
      out.write((URI_PATH - previous) << 4 | value.length);
      out.writeBytes(value);
      previous = URI_PATH;
    }
    out.write(0xFF);
    out.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  void send(final byte[] message) throws IOException {
    socket.send(new DatagramPacket(message, message.length, server));
  }

  /** The code byte of the next datagram carrying {@code token}, waiting up to {@code ms}. */
  Optional<Integer> codeFor(final byte[] token, final int ms) throws IOException {
    socket.setSoTimeout(ms);
    final byte[] buffer = new byte[2048];
    try {
      while (true) {
        final DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        socket.receive(p);
        final int tokenLength = buffer[0] & 0x0F;
        if (p.getLength() >= 4 + tokenLength
            && Arrays.equals(Arrays.copyOfRange(buffer, 4, 4 + tokenLength), token)) {
          return Optional.of(buffer[1] & 0xFF);
        }
      }
    } catch (final SocketTimeoutException e) {
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
