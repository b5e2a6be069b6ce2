package io.troupe.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keys and invitations (R14), as both the gateway and the devices that build invitations compute
 * them.
 *
 * <ul>
 *   <li>A key id is 12 random bytes in base64url: 16 characters.
 *   <li>A key's secret is {@code HMAC-SHA256(signingSecret, "troupe-key-v1:" + keyId)}, 32 bytes:
 *       the gateway derives it again whenever it needs it and stores none. A key is written {@code
 *       KEYID.SECRET}, the secret in base64url without padding.
 *   <li>An invitation's token is {@code KEYID.NONCE.MAC}: 16 random bytes of nonce (22 characters)
 *       and {@code HMAC-SHA256(keySecret, "troupe-invitation-v1:" + KEYID + "." + NONCE)} (43
 *       characters), both base64url without padding. Its URL is {@code
 *       troupe://HOST[:PORT]/i/TOKEN}; everywhere a URL is accepted the bare token is too.
 * </ul>
 *
 * <p>The signing secret is 32 random bytes in {@code conf/invitation.key} of the extension folder,
 * created readable by its owner only on first use. Replacing it invalidates every key and every
 * invitation built on one.
 */
public final class Invitations {

  /** The signing secret's file name inside the extension's {@code conf/} folder. */
  public static final String SIGNING_KEY_FILE = "invitation.key";

  /** The user name of an MQTT session whose password is an invitation (its only credential). */
  public static final String INVITEE_USER = "~invitation";

  private static final int SECRET_BYTES = 32;
  private static final int KEY_ID_BYTES = 12;
  private static final int NONCE_BYTES = 16;
  private static final String HMAC = "HmacSHA256";
  private static final String KEY_LABEL = "troupe-key-v1:";
  private static final String INVITATION_LABEL = "troupe-invitation-v1:";
  private static final Pattern B64 = Pattern.compile("[A-Za-z0-9_-]+");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final byte[] signingSecret;

  private Invitations(final byte[] signingSecret) {
    if (signingSecret.length != SECRET_BYTES) {
      throw new IllegalArgumentException(
          "a signing secret has " + SECRET_BYTES + " bytes, not " + signingSecret.length);
    }
    this.signingSecret = signingSecret.clone();
  }

  /**
   * A key as a device holds it.
   *
   * @param keyId the key's id
   * @param secret its 32-byte secret
   */
  public record Key(String keyId, byte[] secret) {
    public Key {
      Objects.requireNonNull(keyId, "keyId");
      secret = secret.clone();
    }

    @Override
    public byte[] secret() {
      return secret.clone();
    }

    /** {@code KEYID.SECRET}: how the CLI prints a key and {@code troupe invite} reads it. */
    @Override
    public String toString() {
      return keyId + "." + ENCODER.encodeToString(secret);
    }
  }

  /**
   * An invitation's token, parsed but not verified.
   *
   * @param keyId the key it claims to be built on
   * @param nonce what makes it unique among the key's invitations
   * @param mac its MAC under the key's secret
   */
  public record Token(String keyId, String nonce, String mac) {
    /** {@code KEYID.NONCE.MAC}. */
    @Override
    public String toString() {
      return keyId + "." + nonce + "." + mac;
    }
  }

  /** The invitations under {@code signingSecret} (32 bytes). */
  public static Invitations of(final byte[] signingSecret) {
    return new Invitations(Objects.requireNonNull(signingSecret, "signingSecret"));
  }

  /**
   * Reads the signing secret of the extension folder {@code extensionHome}, creating it
   * (owner-only) if it does not exist yet.
   *
   * @throws IOException when it cannot be read or created
   * @throws IllegalArgumentException when the file does not hold exactly 32 bytes
   */
  public static Invitations openOrCreate(final Path extensionHome) throws IOException {
    return new Invitations(SecretFiles.openOrCreate(signingKeyFile(extensionHome), SECRET_BYTES));
  }

  /** {@code conf/invitation.key} inside {@code extensionHome}. */
  public static Path signingKeyFile(final Path extensionHome) {
    return extensionHome.resolve("conf").resolve(SIGNING_KEY_FILE);
  }

  /**
   * A new random key id: 16 characters, never starting with {@code -}, so that a key, a token or a
   * key id on a command line never reads as an option.
   */
  public static String newKeyId() {
    String id = random(KEY_ID_BYTES);
    while (id.charAt(0) == '-') {
      id = random(KEY_ID_BYTES);
    }
    return id;
  }

  /** The key with id {@code keyId} under this signing secret. */
  public Key key(final String keyId) {
    return new Key(keyId, hmac(signingSecret, KEY_LABEL + Objects.requireNonNull(keyId, "keyId")));
  }

  /**
   * Whether {@code token} was built on the key it names under this signing secret. The MAC is
   * compared in constant time.
   */
  public boolean verifies(final Token token) {
    final byte[] expected = mac(key(token.keyId()).secret(), token.keyId(), token.nonce());
    final byte[] given = token.mac().getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, given);
  }

  /** A new invitation built on {@code key}: its token, with a fresh nonce. */
  public static Token invite(final Key key) {
    final String nonce = random(NONCE_BYTES);
    return new Token(
        key.keyId(),
        nonce,
        new String(mac(key.secret(), key.keyId(), nonce), StandardCharsets.US_ASCII));
  }

  /** {@code troupe://HOSTPORT/i/TOKEN}. */
  public static String url(final String hostPort, final Token token) {
    return "troupe://" + hostPort + "/i/" + token;
  }

  /**
   * Reads a key written {@code KEYID.SECRET}.
   *
   * @return empty when {@code text} is not a key
   */
  public static Optional<Key> parseKey(final String text) {
    final String[] parts = text.trim().split("\\.", -1);
    if (parts.length != 2 || !isB64(parts[0], 16) || !isB64(parts[1], 43)) {
      return Optional.empty();
    }
    return Optional.of(new Key(parts[0], Base64.getUrlDecoder().decode(parts[1])));
  }

  /**
   * Reads an invitation's token from its URL ({@code troupe://HOST[:PORT]/i/TOKEN}, or any URL
   * whose path ends in {@code /i/TOKEN}) or from the bare token.
   *
   * @return empty when {@code urlOrToken} holds no well-formed token
   */
  public static Optional<Token> parse(final String urlOrToken) {
    String text = Objects.requireNonNull(urlOrToken, "urlOrToken").trim();
    final int marker = text.lastIndexOf("/i/");
    if (marker >= 0) {
      text = text.substring(marker + 3);
    } else if (text.contains("/")) {
      return Optional.empty();
    }
    final String[] parts = text.split("\\.", -1);
    if (parts.length != 3 || !isB64(parts[0], 16) || !isB64(parts[1], 22) || !isB64(parts[2], 43)) {
      return Optional.empty();
    }
    return Optional.of(new Token(parts[0], parts[1], parts[2]));
  }

  private static boolean isB64(final String s, final int length) {
    return s.length() == length && B64.matcher(s).matches();
  }

  private static byte[] mac(final byte[] keySecret, final String keyId, final String nonce) {
    return ENCODER
        .encodeToString(hmac(keySecret, INVITATION_LABEL + keyId + "." + nonce))
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] hmac(final byte[] key, final String message) {
    try {
      final Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key, HMAC));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  private static String random(final int bytes) {
    final byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return ENCODER.encodeToString(b);
  }
}
