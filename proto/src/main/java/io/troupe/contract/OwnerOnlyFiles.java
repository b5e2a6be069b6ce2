package io.troupe.contract;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Secrets written once into files only their owner may read. */
public final class OwnerOnlyFiles {

  private OwnerOnlyFiles() {}

  /**
   * Writes {@code content} to {@code file} readable by its owner only (where the file system has
   * POSIX permissions), unless the file exists: then, or when a concurrent writer wins, the file
   * keeps what it holds. The content appears whole or not at all.
   *
   * @throws IOException when the file or its folder cannot be created
   */
  public static void writeOnce(final Path file, final byte[] content) throws IOException {
    if (Files.exists(file)) {
      return;
    }
    final Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    final Path tmp = parent.resolve(file.getFileName() + ".new");
    Files.deleteIfExists(tmp);
    if (Files.getFileStore(parent).supportsFileAttributeView("posix")) {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(tmp);
    }
    Files.write(tmp, content);
    try {
      Files.move(tmp, file); // not REPLACE_EXISTING: a concurrent writer's content wins
    } catch (final FileAlreadyExistsException e) {
      Files.deleteIfExists(tmp);
    }
  }
}
