package io.troupe.router;

import com.google.common.primitives.Bytes;
import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded garbage for the fuzz tests: random bytes and strings, and valid encodings damaged the ways
 * a broken or hostile client damages them (bits flipped, bytes inserted or deleted, truncated,
 * fields repeated, two messages glued together).
 */
public final class FuzzBytes {

  /** Strings that break naive parsers of names, topics and addresses. */
  private static final List<String> NASTY =
      List.of(
          "",
          " ",
          "/",
          "+",
          "#",
          "a/b",
          "..",
          ".",
          "-",
          "\u0000",
          "\uFFFF",
          "\uD83D\uDE00",
          "Demo",
          "echo.demo.",
          "troupe/r/c1/#",
          "x".repeat(300),
          "é".repeat(70));

  private final Random random;

  FuzzBytes(final long seed) {
    this.random = new Random(seed);
  }

  Random random() {
    return random;
  }

  int below(final int bound) {
    return random.nextInt(bound);
  }

  boolean chance(final int oneIn) {
    return random.nextInt(oneIn) == 0;
  }

  <T> T pick(final List<T> from) {
    return from.get(random.nextInt(from.size()));
  }

  /** Random bytes, mostly short, now and then large. */
  byte[] bytes() {
    final int length = chance(50) ? random.nextInt(80_000) : random.nextInt(64);
    final byte[] b = new byte[length];
    random.nextBytes(b);
    return b;
  }

  /** A name-like string, a nasty one, or random characters from the whole of Unicode's BMP. */
  String string() {
    return switch (random.nextInt(4)) {
      case 0 -> pick(NASTY);
      case 1 -> label();
      case 2 -> pick(NASTY) + label() + pick(NASTY);
      default -> {
        final char[] chars = new char[random.nextInt(24)];
        for (int i = 0; i < chars.length; i++) {
          chars[i] =
              (char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x10000));
        }
        yield new String(chars);
      }
    };
  }

  /** A valid label: lowercase letters and digits, with inner hyphens. */
  String label() {
    final String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-";
    final StringBuilder s = new StringBuilder();
    for (int i = 1 + random.nextInt(10); i > 0; i--) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    s.setCharAt(0, 'a');
    s.setCharAt(s.length() - 1, 'z');
    return s.toString();
  }

  /** {@code valid} with one to four damages. */
  ByteString mutate(final ByteString valid, final List<ByteString> others) {
    byte[] b = valid.toByteArray();
    for (int n = 1 + random.nextInt(4); n > 0; n--) {
      b = damage(b, others);
    }
    return ByteString.copyFrom(b);
  }

  private byte[] damage(final byte[] b, final List<ByteString> others) {
    final int at = b.length == 0 ? 0 : random.nextInt(b.length);
    switch (random.nextInt(9)) {
      case 0 -> {
        if (b.length > 0) {
          b[at] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
      }
      case 1 -> {
        if (b.length > 0) {
          b[at] = (byte) random.nextInt(256);
        }
        return b;
      }
      case 2 -> {
        return splice(b, at, 0, new byte[] {(byte) random.nextInt(256)});
      }
      case 3 -> {
        return splice(b, at, Math.min(b.length - at, 1 + random.nextInt(4)), new byte[0]);
      }
      case 4 -> {
        return Arrays.copyOf(b, at);
      }
      case 5 -> {
        // a field (or any run of bytes) repeated
        final int length = Math.min(b.length - at, 1 + random.nextInt(16));
        return splice(b, at, 0, Arrays.copyOfRange(b, at, at + length));
      }
      case 6 -> {
        // the whole message twice: every singular field duplicated, repeated ones doubled
        return Bytes.concat(b, b);
      }
      case 7 -> {
        return Bytes.concat(b, others.isEmpty() ? b : pick(others).toByteArray());
      }
      default -> {
        // a length or varint blown up
        return splice(b, at, 0, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f});
      }
    }
  }

  private static byte[] splice(final byte[] b, final int at, final int cut, final byte[] insert) {
    return Bytes.concat(Arrays.copyOf(b, at), insert, Arrays.copyOfRange(b, at + cut, b.length));
  }
}
