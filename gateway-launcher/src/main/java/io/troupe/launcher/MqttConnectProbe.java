package io.troupe.launcher;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Proves a broker is closed: an MQTT 5 CONNECT without user name or password must be refused.
 * Speaks the few bytes of CONNECT and CONNACK itself, so the launcher needs no MQTT client.
 */
public final class MqttConnectProbe {

  private MqttConnectProbe() {}

  /**
   * Connects anonymously and returns the CONNACK reason code: 0x00 means the broker let an
   * anonymous client in.
   *
   * @throws IOException when no CONNACK comes back
   */
  public static int anonymousConnectReasonCode(final String host, final int port)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(10_000);
      final OutputStream out = socket.getOutputStream();
      out.write(connectPacket("troupe-probe-" + Long.toHexString(System.nanoTime())));
      out.flush();
      return readConnackReasonCode(socket.getInputStream());
    }
  }

  /** An MQTT 5 CONNECT: clean start, no credentials, no Will, no properties. */
  static byte[] connectPacket(final String clientId) {
    final byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
    final ByteArrayOutputStream variable = new ByteArrayOutputStream();
    variable.writeBytes(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 10, 0});
    variable.write(id.length >> 8);
    variable.write(id.length & 0xff);
    variable.writeBytes(id);
    final byte[] body = variable.toByteArray();
    final ByteArrayOutputStream packet = new ByteArrayOutputStream();
    packet.write(0x10);
    int length = body.length;
    do {
      int digit = length % 128;
      length /= 128;
      if (length > 0) {
        digit |= 0x80;
      }
      packet.write(digit);
    } while (length > 0);
    packet.writeBytes(body);
    return packet.toByteArray();
  }

  static int readConnackReasonCode(final InputStream stream) throws IOException {
    final DataInputStream in = new DataInputStream(stream);
    final int type = in.readUnsignedByte();
    if (type != 0x20) {
      throw new IOException("expected a CONNACK, got packet type 0x" + Integer.toHexString(type));
    }
    int multiplier = 1;
    int remaining = 0;
    int digit;
    do {
      digit = in.readUnsignedByte();
      remaining += (digit & 0x7f) * multiplier;
      multiplier *= 128;
    } while ((digit & 0x80) != 0);
    if (remaining < 2) {
      throw new IOException("CONNACK too short");
    }
    in.readUnsignedByte();
    return in.readUnsignedByte();
  }
}
