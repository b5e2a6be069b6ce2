package io.troupe.router.internal.login;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Secrets the gateway generates ({@link PasswordHasher#newPassword()}: 24 random URL-safe
 * characters, the first alphanumeric, about 144 bits) and their fast hash. Such a secret cannot be
 * found by guessing, however fast each guess, so it is hashed with one HMAC-SHA256 keyed by its
 * salt instead of PBKDF2: the slow hash only protects secrets people choose. See docs/deploy.md,
 * "Logins".
 *
 * <p>Records written before the fast scheme existed do not say whether their secret was generated,
 * so a secret is recognised by its shape: 24 URL-safe characters, at least 16 of them distinct,
 * with no run of three equal or consecutive characters. About one random draw in a hundred fails
 * this, so {@link PasswordHasher#newPassword()} draws again until it passes (every generated secret
 * then gets the fast hash; the few shapes left out cost a fraction of a bit); a password a person
 * types rarely passes it, and one that does is itself long and random-looking.
 */
final class GeneratedSecrets {

  static final int LENGTH = 24;
  private static final int MIN_DISTINCT = 16;

  private GeneratedSecrets() {}

  /** Whether {@code secret} (UTF-8) has the shape of a secret the gateway generates. */
  static boolean looksGenerated(final byte[] secret) {
    if (secret.length != LENGTH) {
      return false;
    }
    final Set<Byte> distinct = new HashSet<>();
    for (int i = 0; i < secret.length; i++) {
      final byte c = secret[i];
      if (!isUrlSafe(c)) {
        return false;
      }
      if (i >= 2 && isRun(secret[i - 2], secret[i - 1], c)) {
        return false;
      }
      distinct.add(c);
    }
    return distinct.size() >= MIN_DISTINCT;
  }

  /** The fast hash: HMAC-SHA256 of {@code secret} keyed by {@code salt}. */
  static byte[] hash(final byte[] secret, final byte[] salt) {
    try {
      final Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(salt, "HmacSHA256"));
      return mac.doFinal(secret);
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  static boolean matches(final byte[] secret, final byte[] salt, final byte[] expected) {
    return MessageDigest.isEqual(hash(secret, salt), expected);
  }

  private static boolean isUrlSafe(final byte c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_';
  }

  private static boolean isRun(final byte a, final byte b, final byte c) {
    final int step = b - a;
    return Math.abs(step) <= 1 && c - b == step;
  }
}
