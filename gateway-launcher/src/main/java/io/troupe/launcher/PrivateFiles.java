package io.troupe.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Folders only their owner may enter (0700) and files only their owner may read (0600): the
 * gateway's home holds the admin secret, the identities' password hashes and, in HiveMQ's
 * persistence, message bodies. On a file system without POSIX permissions nothing is changed.
 */
final class PrivateFiles {

  static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private PrivateFiles() {}

  /** Creates {@code folder} (and missing parents) 0700, or tightens it to 0700 if it exists. */
  static Path folder(final Path folder) throws IOException {
    Files.createDirectories(folder);
    if (POSIX) {
      Files.setPosixFilePermissions(folder, FOLDER);
    }
    return folder;
  }

  /** {@link #folder}, then {@link #tightenTree} over what it already holds. */
  static Path privateTree(final Path folder) throws IOException {
    folder(folder);
    tightenTree(folder);
    return folder;
  }

  /** Writes {@code text} to {@code file}, readable by its owner only. */
  static void write(final Path file, final String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
    file(file);
  }

  /** Tightens an existing file to 0600. */
  static void file(final Path file) throws IOException {
    if (POSIX) {
      Files.setPosixFilePermissions(file, FILE);
    }
  }

  /**
   * Tightens everything under {@code root}: folders 0700, files 0600 (what an older launcher, or
   * HiveMQ under a lax umask, left readable). Symbolic links are not followed.
   */
  static void tightenTree(final Path root) throws IOException {
    if (!POSIX || !Files.isDirectory(root)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(final Path dir, final BasicFileAttributes attrs)
              throws IOException {
            Files.setPosixFilePermissions(dir, FOLDER);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs)
              throws IOException {
            if (attrs.isRegularFile()) {
              Files.setPosixFilePermissions(file, FILE);
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
