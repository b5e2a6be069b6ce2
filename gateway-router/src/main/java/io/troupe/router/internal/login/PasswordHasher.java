package io.troupe.router.internal.login;

import io.troupe.router.LoginConfig;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
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

  /** The URL-safe alphabet of generated passwords; its first 62 characters are alphanumeric. */
  private static final String URL_SAFE =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  /**
   * A random password of 24 URL-safe characters (about 144 bits): the first a letter or digit, so
   * that no command line or tool reads the password as an option, the other 23 any of the 64;
   * always of the shape {@code GeneratedSecrets} recognises, so that it gets the fast hash.
   */
  public static String newPassword() {
    while (true) {
      final StringBuilder password = new StringBuilder(GeneratedSecrets.LENGTH);
      password.append(URL_SAFE.charAt(RANDOM.nextInt(62)));
      while (password.length() < GeneratedSecrets.LENGTH) {
        password.append(URL_SAFE.charAt(RANDOM.nextInt(URL_SAFE.length())));
      }
      // about one draw in a hundred has a shape the fast hash does not recognise: draw again
      if (GeneratedSecrets.looksGenerated(
          password.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
        return password.toString();
      }
    }
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
