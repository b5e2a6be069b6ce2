package io.troupe.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The CoAP pre-shared keys of identities, derived rather than stored: an identity's key is {@code
 * base64url(HMAC-SHA256(masterKey, identity))} without padding, 43 characters, and the DTLS PSK is
 * that text's bytes (what {@code coap-client -k KEY} sends). The master key is 32 random bytes in
 * {@code conf/coap-master.key} of the extension folder, created readable by its owner only on first
 * use; the data folder holds no key, so a copy of it alone reveals none. Replacing the master key
 * changes every identity's CoAP key.
 */
public final class CoapKeys {

  /** The master key's file name inside the extension's {@code conf/} folder. */
  public static final String MASTER_KEY_FILE = "coap-master.key";

  private static final int MASTER_KEY_BYTES = 32;
  private static final String HMAC = "HmacSHA256";

  private final byte[] masterKey;

  private CoapKeys(final byte[] masterKey) {
    if (masterKey.length != MASTER_KEY_BYTES) {
      throw new IllegalArgumentException(
          "a CoAP master key has " + MASTER_KEY_BYTES + " bytes, not " + masterKey.length);
    }
    this.masterKey = masterKey.clone();
  }

  /** The keys under {@code masterKey} (32 bytes). */
  public static CoapKeys of(final byte[] masterKey) {
    return new CoapKeys(Objects.requireNonNull(masterKey, "masterKey"));
  }

  /**
   * Reads the master key of the extension folder {@code extensionHome}, creating it (owner-only
   * permissions where the file system has POSIX permissions) if it does not exist yet.
   *
   * @throws IOException when it cannot be read or created
   * @throws IllegalArgumentException when the file does not hold exactly 32 bytes
   */
  public static CoapKeys openOrCreate(final Path extensionHome) throws IOException {
    SecretFiles.openOrCreate(masterKeyFile(extensionHome), MASTER_KEY_BYTES);
    return read(extensionHome);
  }

  /**
   * Reads the existing master key of the extension folder {@code extensionHome}.
   *
   * @throws IOException when there is none or it cannot be read
   * @throws IllegalArgumentException when the file does not hold exactly 32 bytes
   */
  public static CoapKeys read(final Path extensionHome) throws IOException {
    return new CoapKeys(Files.readAllBytes(masterKeyFile(extensionHome)));
  }

  /** {@code conf/coap-master.key} inside {@code extensionHome}. */
  public static Path masterKeyFile(final Path extensionHome) {
    return extensionHome.resolve("conf").resolve(MASTER_KEY_FILE);
  }

  /** The key of {@code identity} at generation 0: {@code keyOf(identity, 0)}. */
  public String keyOf(final String identity) {
    return keyOf(identity, 0);
  }

  /**
   * The key of {@code identity} at {@code generation}: the text a client passes as its DTLS
   * pre-shared key and the secret of its MQTT enhanced authentication. Generation 0 is {@code
   * HMAC(masterKey, identity)}, the key of every identity never reset; generation {@code g > 0} is
   * {@code HMAC(masterKey, identity + "#" + g)} ({@code '#'} is in no identity name, so no two
   * pairs share an input). Resetting an identity raises its generation, which replaces its key.
   *
   * @throws IllegalArgumentException when {@code generation} is negative
   */
  public String keyOf(final String identity, final int generation) {
    Objects.requireNonNull(identity, "identity");
    if (generation < 0) {
      throw new IllegalArgumentException("a key generation is 0 or more, not " + generation);
    }
    final String input = generation == 0 ? identity : identity + "#" + generation;
    try {
      final Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(masterKey, HMAC));
      final byte[] digest = mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  /** The DTLS pre-shared key of {@code identity} at generation 0: the bytes of {@link #keyOf}. */
  public byte[] pskOf(final String identity) {
    return pskOf(identity, 0);
  }

  /** The DTLS pre-shared key of {@code identity} at {@code generation}: the key's ASCII bytes. */
  public byte[] pskOf(final String identity, final int generation) {
    return keyOf(identity, generation).getBytes(StandardCharsets.US_ASCII);
  }
}
