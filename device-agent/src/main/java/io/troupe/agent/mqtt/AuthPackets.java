package io.troupe.agent.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** MQTT 5 AUTH packets, as much as the client side of enhanced authentication needs. */
final class AuthPackets {

  static final int AUTH = 0xF0;
  static final int CONTINUE = 0x18;
  private static final int METHOD = 0x15;
  private static final int DATA = 0x16;
  private static final int REASON = 0x1F;
  private static final int USER_PROPERTY = 0x26;

  private AuthPackets() {}

  /**
   * The authentication data of the AUTH packet whose variable header and properties are {@code
   * body}; empty when it has none.
   *
   * @throws IOException when the packet is malformed
   */
  static Optional<byte[]> data(final byte[] body) throws IOException {
    if (body.length < 2) {
      return Optional.empty();
    }
    int at = 1; // after the reason code
    final int[] length = varint(body, at);
    at = length[1];
    final int end = at + length[0];
    if (end > body.length) {
      throw new IOException("malformed AUTH packet: properties overrun it");
    }
    while (at < end) {
      final int id = body[at++] & 0xFF;
      if (id == DATA) {
        final int n = u16(body, at);
        return Optional.of(Arrays.copyOfRange(body, at + 2, at + 2 + n));
      } else if (id == METHOD || id == REASON) {
        at += 2 + u16(body, at);
      } else if (id == USER_PROPERTY) {
        at += 2 + u16(body, at); // its name, then its value
        at += 2 + u16(body, at);
      } else {
        throw new IOException("unexpected property " + id + " in an AUTH packet");
      }
    }
    return Optional.empty();
  }

  /** An AUTH packet continuing {@code method} with {@code data}. */
  static byte[] answer(final String method, final byte[] data) {
    final byte[] name = method.getBytes(StandardCharsets.UTF_8);
    final ByteArrayOutputStream properties = new ByteArrayOutputStream();
    properties.write(METHOD);
    u16(properties, name.length);
    properties.writeBytes(name);
    properties.write(DATA);
    u16(properties, data.length);
    properties.writeBytes(data);
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(CONTINUE);
    writeVarint(body, properties.size());
    body.writeBytes(properties.toByteArray());
    final ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(AUTH);
    writeVarint(packet, body.size());
    packet.writeBytes(body.toByteArray());
    return packet.toByteArray();
  }

  private static int u16(final byte[] b, final int at) throws IOException {
    if (at + 2 > b.length) {
      throw new IOException("malformed AUTH packet: truncated");
    }
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  private static void u16(final ByteArrayOutputStream out, final int value) {
    out.write(value >>> 8);
    out.write(value & 0xFF);
  }

  /** The variable byte integer at {@code at} of {@code b}, and the index after it. */
  private static int[] varint(final byte[] b, final int at) throws IOException {
    int value = 0;
    for (int i = 0; i < 4; i++) {
      if (at + i >= b.length) {
        throw new IOException("malformed MQTT packet: truncated length");
      }
      final int digit = b[at + i] & 0xFF;
      value |= (digit & 0x7F) << (7 * i);
      if ((digit & 0x80) == 0) {
        return new int[] {value, at + i + 1};
      }
    }
    throw new IOException("malformed MQTT packet: length longer than 4 bytes");
  }

  private static void writeVarint(final ByteArrayOutputStream out, final int value) {
    int rest = value;
    do {
      int digit = rest & 0x7F;
      rest >>>= 7;
      if (rest > 0) {
        digit |= 0x80;
      }
      out.write(digit);
    } while (rest > 0);
  }

  /**
   * The gateway's side of a connection as Paho should see it: whole packets are collected until the
   * CONNACK; each AUTH is answered on {@code out} with {@code prover}'s proof for its data and
   * dropped; the first other packet and all after it are passed on. A read that times out keeps
   * what it has collected, so Paho's 1 s read timeout loses nothing.
   */
  static final class Answering extends InputStream {

    private final InputStream in;
    private final OutputStream out;
    private final String method;
    private final UnaryOperator<byte[]> prover;
    private final ByteArrayOutputStream collected = new ByteArrayOutputStream();
    private byte[] pending = new byte[0];
    private int next;
    private boolean passing;

    Answering(
        final InputStream in,
        final OutputStream out,
        final String method,
        final UnaryOperator<byte[]> prover) {
      this.in = in;
      this.out = out;
      this.method = method;
      this.prover = prover;
    }

    @Override
    public int read() throws IOException {
      final byte[] one = new byte[1];
      final int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(final byte[] b, final int off, final int len) throws IOException {
      while (!passing && next >= pending.length) {
        collectPacket();
      }
      if (next < pending.length) {
        final int n = Math.min(len, pending.length - next);
        System.arraycopy(pending, next, b, off, n);
        next += n;
        return n;
      }
      return in.read(b, off, len);
    }

    @Override
    public int available() throws IOException {
      return next < pending.length ? pending.length - next : passing ? in.available() : 0;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }

    /** Reads until {@link #collected} holds one whole packet, then handles it. */
    private void collectPacket() throws IOException {
      while (true) {
        final byte[] sofar = collected.toByteArray();
        final int whole = wholeLength(sofar);
        if (whole > 0 && sofar.length >= whole) {
          collected.reset();
          handle(Arrays.copyOf(sofar, whole));
          return;
        }
        final int c = in.read(); // a timeout leaves what was collected in place
        if (c < 0) {
          throw new IOException("the gateway closed the connection during authentication");
        }
        collected.write(c);
      }
    }

    private void handle(final byte[] packet) throws IOException {
      if ((packet[0] & 0xFF) != AUTH) {
        pending = packet;
        next = 0;
        passing = true;
        return;
      }
      final int[] length = varint(packet, 1);
      final byte[] body = Arrays.copyOfRange(packet, length[1], packet.length);
      final byte[] serverNonce =
          data(body).orElseThrow(() -> new IOException("the gateway's AUTH packet has no data"));
      final byte[] answer = answer(method, prover.apply(serverNonce));
      synchronized (out) {
        out.write(answer);
        out.flush();
      }
    }

    /** The length of the packet {@code sofar} begins, once its length is known; else 0. */
    private static int wholeLength(final byte[] sofar) throws IOException {
      if (sofar.length < 2) {
        return 0;
      }
      for (int i = 1; i < sofar.length && i <= 4; i++) {
        if ((sofar[i] & 0x80) == 0) {
          return varint(sofar, 1)[0] + i + 1;
        }
      }
      return 0;
    }
  }
}
