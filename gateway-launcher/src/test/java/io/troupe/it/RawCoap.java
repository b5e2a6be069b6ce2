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

  /** The code byte of 2.04 Changed, a successful POST's. */
  static final int CHANGED = 0x44;

  static final int URI_PATH = 11;
  static final int URI_QUERY = 15;
  static final int ACCEPT = 17;
  static final int BLOCK1 = 27;
  static final int SIZE1 = 60;
  static final int OBSERVE = 6;
  static final int CONTENT_FORMAT = 12;

  /** One option of a message: its number and value. */
  record Option(int number, byte[] value) {
    static Option of(final int number, final String value) {
      return new Option(number, value.getBytes(StandardCharsets.UTF_8));
    }

    /** An unsigned integer option, in as few bytes as it needs. */
    static Option uint(final int number, final long value) {
      int length = 0;
      for (long v = value; v != 0; v >>>= 8) {
        length++;
      }
      final byte[] bytes = new byte[length];
      for (int i = 0; i < length; i++) {
        bytes[length - 1 - i] = (byte) (value >>> (8 * i));
      }
      return new Option(number, bytes);
    }

    /** Block1 or Block2: block {@code num} of {@code 2^(szx+4)} bytes, {@code more} to follow. */
    static Option block(final int number, final int num, final boolean more, final int szx) {
      return uint(number, (long) num << 4 | (more ? 8 : 0) | szx);
    }
  }

  /** Uri-Path options, one per segment of {@code path} ("/a/b" gives "a" and "b"). */
  static List<Option> path(final String path) {
    return Arrays.stream(path.split("/"))
        .filter(s -> !s.isEmpty())
        .map(s -> Option.of(URI_PATH, s))
        .toList();
  }

  /**
   * Any message: {@code options} in ascending order of number (RFC 7252, section 3.1), the payload
   * after a marker unless empty.
   */
  static byte[] message(
      final int type,
      final int code,
      final int messageId,
      final byte[] token,
      final List<Option> options,
      final byte[] payload) {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x40 | type << 4 | token.length);
    out.write(code);
    out.write(messageId >> 8 & 0xFF);
    out.write(messageId & 0xFF);
    out.writeBytes(token);
    int previous = 0;
    for (final Option o : options) {
      final int delta = o.number() - previous;
      final int length = o.value().length;
      out.write(nibble(delta) << 4 | nibble(length));
      extended(out, delta);
      extended(out, length);
      out.writeBytes(o.value());
      previous = o.number();
    }
    if (payload.length > 0) {
      out.write(0xFF);
      out.writeBytes(payload);
    }
    return out.toByteArray();
  }

  private static int nibble(final int n) {
    return n < 13 ? n : n < 269 ? 13 : 14;
  }

  private static void extended(final ByteArrayOutputStream out, final int n) {
    if (n >= 269) {
      out.write((n - 269) >> 8 & 0xFF);
      out.write((n - 269) & 0xFF);
    } else if (n >= 13) {
      out.write(n - 13);
    }
  }

  private final DatagramSocket socket;
  private final InetSocketAddress server;

  RawCoap(final int port) throws IOException {
    this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /** A confirmable POST of {@code payload} to {@code segments}. */
  static byte[] post(
      final int messageId, final byte[] token, final List<String> segments, final String payload) {
    return message(
        CON,
        POST,
        messageId,
        token,
        segments.stream().map(segment -> Option.of(URI_PATH, segment)).toList(),
        payload.getBytes(StandardCharsets.UTF_8));
  }

  /** The value of option {@code number} in {@code message}, the first if repeated. */
  static Optional<byte[]> option(final byte[] message, final int number) {
    int at = 4 + (message[0] & 0x0F);
    int current = 0;
    while (at < message.length && (message[at] & 0xFF) != 0xFF) {
      final int head = message[at++] & 0xFF;
      final int[] delta = extendedAt(message, at, head >> 4);
      at = delta[1];
      final int[] length = extendedAt(message, at, head & 0x0F);
      at = length[1];
      current += delta[0];
      if (current == number) {
        return Optional.of(Arrays.copyOfRange(message, at, at + length[0]));
      }
      at += length[0];
    }
    return Optional.empty();
  }

  /** An unsigned integer option's value. */
  static long uint(final byte[] value) {
    long n = 0;
    for (final byte b : value) {
      n = n << 8 | (b & 0xFF);
    }
    return n;
  }

  private static int[] extendedAt(final byte[] m, final int at, final int nibble) {
    return switch (nibble) {
      case 13 -> new int[] {13 + (m[at] & 0xFF), at + 1};
      case 14 -> new int[] {269 + ((m[at] & 0xFF) << 8 | (m[at + 1] & 0xFF)), at + 2};
      default -> new int[] {nibble, at};
    };
  }

  void send(final byte[] message) throws IOException {
    socket.send(new DatagramPacket(message, message.length, server));
  }

  /** The code byte of the next datagram carrying {@code token}, waiting up to {@code ms}. */
  Optional<Integer> codeFor(final byte[] token, final int ms) throws IOException {
    return answerTo(token, ms).map(m -> m[1] & 0xFF);
  }

  /** The next datagram carrying {@code token}, waiting up to {@code ms}. */
  Optional<byte[]> answerTo(final byte[] token, final int ms) throws IOException {
    socket.setSoTimeout(ms);
    final byte[] buffer = new byte[2048];
    try {
      while (true) {
        final DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        socket.receive(p);
        final int tokenLength = buffer[0] & 0x0F;
        if (p.getLength() >= 4 + tokenLength
            && Arrays.equals(Arrays.copyOfRange(buffer, 4, 4 + tokenLength), token)) {
          return Optional.of(Arrays.copyOf(buffer, p.getLength()));
        }
      }
    } catch (final SocketTimeoutException e) {
      return Optional.empty();
    }
  }

  /**
   * Reads every datagram that arrives, counting it in {@code received} and acknowledging each
   * confirmable one as a client would (else the gateway keeps it to retransmit), until closed.
   */
  Thread acknowledging(final java.util.concurrent.atomic.AtomicInteger received) {
    final Thread t =
        new Thread(
            () -> {
              final byte[] buffer = new byte[2048];
              try {
                socket.setSoTimeout(0);
                while (!socket.isClosed()) {
                  final DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                  socket.receive(p);
                  received.incrementAndGet();
                  if (p.getLength() >= 4 && (buffer[0] & 0x30) == CON << 4) {
                    send(ack(buffer));
                  }
                }
              } catch (final IOException e) {
                // closed
              }
            },
            "raw-coap-acks");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The empty ACK of the confirmable {@code message}. */
  static byte[] ack(final byte[] message) {
    return new byte[] {0x60, 0, message[2], message[3]};
  }

  @Override
  public void close() {
    socket.close();
  }
}
