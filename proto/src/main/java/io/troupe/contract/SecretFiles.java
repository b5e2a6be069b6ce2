package io.troupe.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The gateway's secret files ({@code conf/coap-master.key}, {@code conf/invitation.key}): random
 * bytes created once, readable by their owner only, and never replaced by a concurrent creator.
 */
final class SecretFiles {

  private SecretFiles() {}

  /**
   * The bytes of {@code file}, which is created with {@code size} random bytes (owner-only
   * permissions where the file system has POSIX permissions) if it does not exist yet.
   *
   * @throws IOException when it cannot be read or created
   * @throws IllegalArgumentException when it does not hold exactly {@code size} bytes
   */
  static byte[] openOrCreate(final Path file, final int size) throws IOException {
    if (!Files.exists(file)) {
      final byte[] fresh = new byte[size];
      new SecureRandom().nextBytes(fresh);
      OwnerOnlyFiles.writeOnce(file, fresh); // a concurrent creator's secret wins
    }
    return read(file, size);
  }

  /**
   * The bytes of the existing {@code file}.
   *
   * @throws IOException when there is none or it cannot be read
   * @throws IllegalArgumentException when it does not hold exactly {@code size} bytes
   */
  static byte[] read(final Path file, final int size) throws IOException {
    final byte[] bytes = Files.readAllBytes(file);
    if (bytes.length != size) {
      throw new IllegalArgumentException(
          file + " must hold " + size + " bytes, not " + bytes.length);
    }
    return bytes;
  }
}
