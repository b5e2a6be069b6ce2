package io.troupe.agent.internal;

import io.troupe.contract.KeyAuth;
import io.troupe.contract.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * A machine's Ed25519 key pair, made on the device and kept in a file only its owner may read: the
 * private key (PKCS#8) and the public key (X.509 SubjectPublicKeyInfo), base64, one a line. The
 * gateway binds an identity to the public key at its first machine login ({@code
 * TROUPE-MACHINE-1}); the private key never leaves the file.
 */
public final class MachineKeys {

  private MachineKeys() {}

  /**
   * The key pair in {@code file}, made and written (owner-only) if the file does not exist.
   *
   * @throws IOException when it cannot be read or written
   * @throws IllegalArgumentException when the file holds no key pair
   */
  public static KeyPair openOrCreate(final Path file) throws IOException {
    if (!Files.exists(file)) {
      final KeyPair fresh = KeyAuth.newMachineKeyPair();
      final Base64.Encoder b64 = Base64.getEncoder();
      OwnerOnlyFiles.writeOnce(
          file,
          (b64.encodeToString(fresh.getPrivate().getEncoded())
                  + "\n"
                  + b64.encodeToString(fresh.getPublic().getEncoded())
                  + "\n")
              .getBytes(StandardCharsets.US_ASCII));
    }
    return read(file);
  }

  private static KeyPair read(final Path file) throws IOException {
    final List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    try {
      if (lines.size() < 2) {
        throw new IllegalArgumentException("two lines expected");
      }
      final Base64.Decoder b64 = Base64.getDecoder();
      return new KeyPair(
          KeyAuth.publicKey(b64.decode(lines.get(1).trim())),
          KeyFactory.getInstance("Ed25519")
              .generatePrivate(new PKCS8EncodedKeySpec(b64.decode(lines.get(0).trim()))));
    } catch (final GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the machine key file " + file.toAbsolutePath() + " holds no Ed25519 key pair", e);
    }
  }
}
