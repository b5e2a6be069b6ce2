package io.troupe.router;

import com.google.common.base.Preconditions;
import com.google.protobuf.ByteString;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.IdentityRole;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Makes and checks identities' password hashes at the configured cost. An unknown identity is
 * checked against a dummy hash of the same cost, so that a refusal takes as long for a name that
 * does not exist as for one that does.
 */
final class Passwords {

  /** Computes a PBKDF2-HMAC-SHA256 hash; {@link PasswordHasher#hash} in production. */
  @FunctionalInterface
  interface Hashing {
    byte[] hash(char[] password, byte[] salt, int iterations);
  }

  private final int iterations;
  private final Hashing hashing;
  private final IdentityRecord dummy;

  Passwords(final int iterations, final Hashing hashing) {
    Preconditions.checkArgument(iterations > 0, "iterations must be positive: %s", iterations);
    this.iterations = iterations;
    this.hashing = hashing;
    this.dummy =
        IdentityRecord.newBuilder()
            .setSalt(ByteString.copyFrom(PasswordHasher.newSalt()))
            .setIterations(iterations)
            .setHash(ByteString.copyFrom(PasswordHasher.newSalt()))
            .build();
  }

  /** The production hasher at {@code iterations}. */
  static Passwords pbkdf2(final int iterations) {
    return new Passwords(iterations, PasswordHasher::hash);
  }

  int iterations() {
    return iterations;
  }

  /** A new identity's record: a fresh salt and the hash at the configured cost. */
  IdentityRecord record(final String name, final IdentityRole role, final String password) {
    final char[] secret = password.toCharArray();
    try {
      return hashed(IdentityRecord.newBuilder().setName(name).setRole(role), secret);
    } finally {
      Arrays.fill(secret, '\0');
    }
  }

  /**
   * Whether {@code password} (UTF-8) is the password of {@code record}; with {@code null} (no such
   * identity) the same work is done against the dummy and the answer is false.
   */
  boolean verify(final IdentityRecord record, final byte[] password) {
    final IdentityRecord against = record == null ? dummy : record;
    final char[] secret = chars(password);
    try {
      final byte[] hash =
          hashing.hash(secret, against.getSalt().toByteArray(), against.getIterations());
      return MessageDigest.isEqual(hash, against.getHash().toByteArray()) && record != null;
    } finally {
      Arrays.fill(secret, '\0');
    }
  }

  /** Whether {@code record} was hashed at a lower cost than the configured one. */
  boolean isOutdated(final IdentityRecord record) {
    return record.getIterations() < iterations;
  }

  /** {@code record} rehashed at the configured cost, with a fresh salt. */
  IdentityRecord upgraded(final IdentityRecord record, final byte[] password) {
    final char[] secret = chars(password);
    try {
      return hashed(record.toBuilder(), secret);
    } finally {
      Arrays.fill(secret, '\0');
    }
  }

  private IdentityRecord hashed(final IdentityRecord.Builder builder, final char[] secret) {
    final byte[] salt = PasswordHasher.newSalt();
    return builder
        .setSalt(ByteString.copyFrom(salt))
        .setIterations(iterations)
        .setHash(ByteString.copyFrom(hashing.hash(secret, salt, iterations)))
        .build();
  }

  /** The password as characters; bytes that are not UTF-8 become U+FFFD, so never match. */
  private static char[] chars(final byte[] password) {
    try {
      final CharBuffer decoded =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE)
              .decode(ByteBuffer.wrap(password));
      final char[] chars = new char[decoded.remaining()];
      decoded.get(chars);
      return chars;
    } catch (final java.nio.charset.CharacterCodingException e) {
      throw new IllegalStateException("a replacing decoder cannot fail", e);
    }
  }
}
