package io.troupe.it;

import com.google.common.primitives.Bytes;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.BrowseServices;
import io.troupe.proto.v1.DeleteCommunity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.TunnelResponse;
import io.troupe.proto.v1.UpdateCommunity;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded payloads and strings for {@link FuzzIT}: valid protobufs of each kind the gateway reads,
 * damaged (bits and bytes changed, inserted, cut, a run repeated, two messages glued), and garbage.
 * One instance per thread: {@link Random} is shared by nobody.
 */
final class FuzzMessages {

  private static final List<byte[]> API =
      List.of(
          GatewayRequest.newBuilder()
              .setJoinCommunity(
                  JoinCommunity.newBuilder().setCommunity("demo").setCreateIfAbsent(true))
              .build()
              .toByteArray(),
          GatewayRequest.newBuilder()
              .setRegisterService(
                  RegisterService.newBuilder().setCommunity("demo").setService("echo"))
              .build()
              .toByteArray(),
          GatewayRequest.newBuilder()
              .setUpdateCommunity(
                  UpdateCommunity.newBuilder().setCommunity("demo").addAddMembers("mallory"))
              .build()
              .toByteArray(),
          GatewayRequest.newBuilder()
              .setDeleteCommunity(DeleteCommunity.newBuilder().setCommunity("demo"))
              .build()
              .toByteArray(),
          GatewayRequest.newBuilder()
              .setBrowseServices(BrowseServices.newBuilder().setCommunity("demo"))
              .build()
              .toByteArray());

  final Random random;

  FuzzMessages(final long seed) {
    this.random = new Random(seed);
  }

  boolean chance(final int oneIn) {
    return random.nextInt(oneIn) == 0;
  }

  <T> T pick(final List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  byte[] api() {
    return payload(pick(API));
  }

  byte[] status(final String device) {
    return payload(
        StatusMessage.newBuilder()
            .setDeviceId(device)
            .setAvailability(pick(List.of(Availability.AVAILABLE, Availability.OFFLINE)))
            .setMetrics(Metrics.newBuilder().setBatteryPercent(50).setMaxRequestsInProgress(2))
            .setSequence(7)
            .build()
            .toByteArray());
  }

  byte[] descriptor(final String device) {
    return payload(
        ServiceDescriptor.newBuilder()
            .setService("echo")
            .setVersion(1 + random.nextInt(5))
            .addItems(Item.newBuilder().setName("index.html").setSize(3))
            .setDeviceId(device)
            .build()
            .toByteArray());
  }

  byte[] reply() {
    return payload(
        TunnelResponse.newBuilder()
            .setRequestId(label())
            .setStatus(200)
            .putProperties("k", "v")
            .build()
            .toByteArray());
  }

  /** Random bytes one time in five, {@code valid} one in ten, else {@code valid} damaged. */
  byte[] payload(final byte[] valid) {
    if (chance(5)) {
      return bytes();
    }
    if (chance(9)) {
      return valid;
    }
    byte[] b = valid;
    for (int n = 1 + random.nextInt(3); n > 0; n--) {
      final int at = b.length == 0 ? 0 : random.nextInt(b.length);
      b =
          switch (random.nextInt(6)) {
            case 0 -> flip(b, at);
            case 1 -> splice(b, at, 0, new byte[] {(byte) random.nextInt(256)});
            case 2 -> splice(b, at, Math.min(1 + random.nextInt(3), b.length - at), new byte[0]);
            case 3 -> Arrays.copyOf(b, at);
            case 4 -> splice(b, at, 0, Arrays.copyOfRange(b, at, Math.min(b.length, at + 8)));
            default -> splice(b, b.length, 0, pick(API));
          };
    }
    return b;
  }

  /** Random bytes: mostly a few, one time in a hundred up to 80 KB (over the 64 KB limit). */
  byte[] bytes() {
    final byte[] b = new byte[chance(100) ? random.nextInt(80_000) : random.nextInt(48)];
    random.nextBytes(b);
    return b;
  }

  /**
   * Random binary property data (correlation data): at most 48 bytes, since Paho 1.2.5 reads a
   * binary length over 32,767 as negative and its receiver thread dies.
   */
  byte[] small() {
    final byte[] b = new byte[random.nextInt(48)];
    random.nextBytes(b);
    return b;
  }

  String label() {
    final StringBuilder s = new StringBuilder();
    for (int i = 1 + random.nextInt(8); i > 0; i--) {
      s.append((char) ('a' + random.nextInt(26)));
    }
    return s.toString();
  }

  /**
   * A string that Paho sends (no control characters, which it refuses in its sender thread and then
   * drops the connection), with the characters that break naive parsers: separators, wildcards,
   * dots, spaces, non-ASCII.
   */
  String text() {
    final String odd = "/+#.-_ $\u00e9\u4e2d\ufffd";
    final StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(16); i > 0; i--) {
      s.append(
          chance(3) ? odd.charAt(random.nextInt(odd.length())) : (char) ('a' + random.nextInt(26)));
    }
    return s.toString();
  }

  /** {@link #text()} with the wildcards out: a valid topic level or name, or several levels. */
  String level() {
    return text().replace('+', 'p').replace('#', 'h');
  }

  byte[] utf8(final String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] flip(final byte[] b, final int at) {
    if (b.length == 0) {
      return b;
    }
    final byte[] out = b.clone();
    out[at] ^= (byte) (1 << random.nextInt(8));
    return out;
  }

  private static byte[] splice(final byte[] b, final int at, final int cut, final byte[] insert) {
    return Bytes.concat(Arrays.copyOf(b, at), insert, Arrays.copyOfRange(b, at + cut, b.length));
  }
}
