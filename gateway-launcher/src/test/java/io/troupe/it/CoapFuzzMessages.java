package io.troupe.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded CoAP datagrams for {@link CoapFuzzIT}: well-formed requests to each resource the bridge
 * serves (with Observe, Accept, Content-Format, queries, Block1/Block2 and Size1 thrown in),
 * damaged ones (bits flipped, bytes changed, cut, inserted, a run repeated) and plain garbage. One
 * instance per thread.
 */
final class CoapFuzzMessages {

  private static final int[] CODES = {1, 2, 3, 4, 5, 6, 7, 0, 0x45, 0x1F};
  private static final int BLOCK2 = 23;
  private static final int[] FORMATS = {0, 42, 50, 60, 110, 65_535};

  private final Random random;
  private final List<String> paths;
  private int messageId;

  /** {@code paths}: the resources to aim at, "/s/echo.coap/x" and the like. */
  CoapFuzzMessages(final long seed, final List<String> paths) {
    this.random = new Random(seed);
    this.paths = List.copyOf(paths);
    this.messageId = random.nextInt(0x10000);
  }

  /** The next datagram: a third garbage, a third damaged, a third well-formed. */
  byte[] next() {
    return switch (random.nextInt(3)) {
      case 0 -> garbage();
      case 1 -> damage(valid());
      default -> valid();
    };
  }

  byte[] valid() {
    final List<RawCoap.Option> options = new ArrayList<>();
    final String path = paths.get(random.nextInt(paths.size()));
    if (random.nextInt(8) == 0) {
      options.add(RawCoap.Option.uint(RawCoap.OBSERVE, random.nextInt(2)));
    }
    options.addAll(RawCoap.path(path));
    if (random.nextInt(4) == 0) {
      options.add(RawCoap.Option.uint(RawCoap.CONTENT_FORMAT, pick(FORMATS)));
    }
    if (random.nextInt(4) == 0) {
      options.add(RawCoap.Option.of(RawCoap.URI_QUERY, query()));
    }
    if (random.nextInt(6) == 0) {
      options.add(RawCoap.Option.uint(RawCoap.ACCEPT, pick(FORMATS)));
    }
    if (random.nextInt(8) == 0) {
      options.add(RawCoap.Option.block(BLOCK2, random.nextInt(4), false, random.nextInt(7)));
    }
    if (random.nextInt(5) == 0) {
      options.add(
          RawCoap.Option.block(
              RawCoap.BLOCK1, random.nextInt(4), random.nextBoolean(), random.nextInt(7)));
    }
    if (random.nextInt(10) == 0) {
      options.add(RawCoap.Option.uint(RawCoap.SIZE1, random.nextInt(4_000_000)));
    }
    final byte[] payload = new byte[random.nextInt(4) == 0 ? random.nextInt(1100) : 0];
    random.nextBytes(payload);
    final byte[] token = new byte[random.nextInt(9)];
    random.nextBytes(token);
    return RawCoap.message(
        random.nextInt(4) == 0 ? 1 : 0, pick(CODES), nextId(), token, options, payload);
  }

  private byte[] garbage() {
    final byte[] b = new byte[random.nextInt(1200)];
    random.nextBytes(b);
    if (b.length > 0 && random.nextBoolean()) {
      b[0] = (byte) (0x40 | b[0] & 0x3F); // version 1, to get past the first check
    }
    return b;
  }

  private byte[] damage(final byte[] m) {
    final byte[] b = m.clone();
    switch (random.nextInt(5)) {
      case 0 -> {
        final int at = random.nextInt(b.length);
        b[at] ^= (byte) (1 << random.nextInt(8));
        return b;
      }
      case 1 -> {
        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        return b;
      }
      case 2 -> {
        return Arrays.copyOf(b, random.nextInt(b.length));
      }
      case 3 -> {
        final int at = random.nextInt(b.length + 1);
        final byte[] extra = new byte[1 + random.nextInt(16)];
        random.nextBytes(extra);
        final byte[] out = new byte[b.length + extra.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(b, at, out, at + extra.length, b.length - at);
        return out;
      }
      default -> {
        final int from = random.nextInt(b.length);
        final int length = Math.min(b.length - from, 1 + random.nextInt(8));
        final byte[] out = Arrays.copyOf(b, b.length + length * 3);
        for (int i = 0; i < 3; i++) {
          System.arraycopy(b, from, out, b.length + i * length, length);
        }
        return out;
      }
    }
  }

  private String query() {
    final String[] keys = {"ep", "d", "lt", "base", "con", "et", "x"};
    final String[] values = {"dev", "coap", "60", "coap://127.0.0.1:1", "", "%00", "ü"};
    return keys[random.nextInt(keys.length)]
        + "="
        + new String(
            values[random.nextInt(values.length)].getBytes(StandardCharsets.UTF_8),
            StandardCharsets.UTF_8);
  }

  private int pick(final int[] values) {
    return values[random.nextInt(values.length)];
  }

  private int nextId() {
    messageId = messageId + 1 & 0xFFFF;
    return messageId;
  }
}
