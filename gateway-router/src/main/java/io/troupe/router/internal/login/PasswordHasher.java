package io.troupe.router.internal.login;

import io.troupe.router.LoginConfig;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2-HMAC-SHA256 password hashes; plain JDK. The cost is {@link LoginConfig}'s; records
 * hashed at a lower one are rehashed on their next successful login.
 */
public final class PasswordHasher {

  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHasher() {}

  public static byte[] newSalt() {
    final byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return salt;
  }

  /** A random password of 24 URL-safe characters (144 bits). */
  public static String newPassword() {
    final byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static byte[] hash(final char[] password, final byte[] salt, final int iterations) {
    final PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
    } finally {
      spec.clearPassword();
    }
  }

  static boolean matches(
      final char[] password, final byte[] salt, final int iterations, final byte[] expected) {
    return MessageDigest.isEqual(hash(password, salt, iterations), expected);
  }
}
