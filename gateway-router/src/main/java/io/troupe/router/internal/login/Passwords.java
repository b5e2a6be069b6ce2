package io.troupe.router.internal.login;

import com.google.common.base.Preconditions;
import com.google.protobuf.ByteString;
import io.troupe.proto.v1.HashScheme;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.IdentityRole;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Makes and checks identities' password hashes: PBKDF2 at the configured cost for secrets people
 * choose, the fast hash of {@link GeneratedSecrets} for secrets the gateway generated. What a check
 * costs depends only on the password presented and the record's scheme, never on whether the name
 * exists: a name that is no identity is checked against a dummy of the cost a known name would cost
 * (for a generated-looking password, fast or slow by a keyed hash of the name, as identities of
 * both schemes exist), so that a refusal takes as long whether or not the name exists.
 */
public final class Passwords {

  /** Computes a PBKDF2-HMAC-SHA256 hash; {@link PasswordHasher#hash} in production. */
  @FunctionalInterface
  public interface Hashing {
    byte[] hash(char[] password, byte[] salt, int iterations);
  }

  /** What checking a password costs: a keyed hash, or PBKDF2. */
  public enum Cost {
    FAST,
    SLOW
  }

  private final int iterations;
  private final Hashing hashing;
  private final IdentityRecord slowDummy;
  private final IdentityRecord fastDummy;
  private final byte[] nameKey = PasswordHasher.newSalt();

  public Passwords(final int iterations, final Hashing hashing) {
    Preconditions.checkArgument(iterations > 0, "iterations must be positive: %s", iterations);
    this.iterations = iterations;
    this.hashing = hashing;
    final IdentityRecord.Builder dummy =
        IdentityRecord.newBuilder()
            .setSalt(ByteString.copyFrom(PasswordHasher.newSalt()))
            .setHash(ByteString.copyFrom(PasswordHasher.newSalt()));
    this.slowDummy = dummy.setIterations(iterations).build();
    this.fastDummy = dummy.setIterations(0).setScheme(HashScheme.GENERATED_HMAC_SHA256).build();
  }

  /** The production hasher at {@code iterations}. */
  public static Passwords pbkdf2(final int iterations) {
    return new Passwords(iterations, PasswordHasher::hash);
  }

  int iterations() {
    return iterations;
  }

  /** A new identity's record: a fresh salt and the hash its password's kind calls for. */
  public IdentityRecord record(final String name, final IdentityRole role, final String password) {
    return hashed(
        IdentityRecord.newBuilder().setName(name).setRole(role),
        password.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * What checking {@code password} against {@code record} costs ({@code null}: no identity named
   * {@code name}).
   */
  public Cost cost(final String name, final IdentityRecord record, final byte[] password) {
    if (!GeneratedSecrets.looksGenerated(password)) {
      return Cost.SLOW;
    }
    if (record == null) {
      return (GeneratedSecrets.hash(name.getBytes(StandardCharsets.UTF_8), nameKey)[0] & 1) == 0
          ? Cost.FAST
          : Cost.SLOW;
    }
    return record.getScheme() == HashScheme.GENERATED_HMAC_SHA256 ? Cost.FAST : Cost.SLOW;
  }

  /**
   * Whether {@code password} (UTF-8) is the password of {@code record}, at the {@link #cost} of
   * that pair; with {@code null} (no such identity) the same work is done against a dummy and the
   * answer is false.
   */
  public boolean verify(final String name, final IdentityRecord record, final byte[] password) {
    final Cost cost = cost(name, record, password);
    final IdentityRecord against;
    if (record == null || (cost == Cost.SLOW) != isSlow(record)) {
      against = cost == Cost.SLOW ? slowDummy : fastDummy;
    } else {
      against = record;
    }
    final boolean matches =
        isSlow(against) ? pbkdf2Matches(against, password) : fastMatches(against, password);
    return matches && against == record;
  }

  /**
   * Whether {@code record}, just verified with {@code password}, should be rehashed: hashed at a
   * lower cost than the configured one, or by PBKDF2 while the password is a generated one.
   */
  public boolean isOutdated(final IdentityRecord record, final byte[] password) {
    return isSlow(record)
        && (record.getIterations() < iterations || GeneratedSecrets.looksGenerated(password));
  }

  /** {@code record} rehashed as its password calls for, with a fresh salt. */
  public IdentityRecord upgraded(final IdentityRecord record, final byte[] password) {
    return hashed(record.toBuilder(), password);
  }

  private IdentityRecord hashed(final IdentityRecord.Builder builder, final byte[] password) {
    final byte[] salt = PasswordHasher.newSalt();
    builder.setSalt(ByteString.copyFrom(salt));
    if (GeneratedSecrets.looksGenerated(password)) {
      return builder
          .setScheme(HashScheme.GENERATED_HMAC_SHA256)
          .setIterations(0)
          .setHash(ByteString.copyFrom(GeneratedSecrets.hash(password, salt)))
          .build();
    }
    final char[] secret = chars(password);
    try {
      return builder
          .setScheme(HashScheme.PBKDF2_SHA256)
          .setIterations(iterations)
          .setHash(ByteString.copyFrom(hashing.hash(secret, salt, iterations)))
          .build();
    } finally {
      Arrays.fill(secret, '\0');
    }
  }

  private static boolean isSlow(final IdentityRecord record) {
    return record.getScheme() != HashScheme.GENERATED_HMAC_SHA256;
  }

  private boolean pbkdf2Matches(final IdentityRecord against, final byte[] password) {
    final char[] secret = chars(password);
    try {
      final byte[] hash =
          hashing.hash(secret, against.getSalt().toByteArray(), against.getIterations());
      return MessageDigest.isEqual(hash, against.getHash().toByteArray());
    } finally {
      Arrays.fill(secret, '\0');
    }
  }

  private static boolean fastMatches(final IdentityRecord against, final byte[] password) {
    return GeneratedSecrets.matches(
        password, against.getSalt().toByteArray(), against.getHash().toByteArray());
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
