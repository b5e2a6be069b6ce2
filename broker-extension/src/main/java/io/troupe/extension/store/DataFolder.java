package io.troupe.extension.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * The extension's data folder and the SQLite files in it, readable by their owner only: they hold
 * password hashes. Where the file system has no POSIX permissions (Windows) this does nothing.
 */
public final class DataFolder {

  private static final Set<PosixFilePermission> FOLDER =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  /** The database file and the companions SQLite creates beside it. */
  private static final List<String> SQLITE_SUFFIXES = List.of("", "-wal", "-shm", "-journal");

  private DataFolder() {}

  /** Creates {@code folder} (and its parents) if missing and makes it its owner's only. */
  public static void prepare(final Path folder) throws IOException {
    if (!posix()) {
      Files.createDirectories(folder);
      return;
    }
    if (!Files.isDirectory(folder)) {
      Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(FOLDER));
    }
    Files.setPosixFilePermissions(folder, FOLDER);
  }

  /**
   * Creates the SQLite database file empty with owner-only permissions before SQLite first opens it
   * (SQLite gives its -wal, -shm and -journal files the database file's mode), and tightens any of
   * them that already exist.
   */
  public static void protectSqliteFiles(final Path folder) throws IOException {
    if (!posix()) {
      return;
    }
    final Path db = folder.resolve(Database.SQLITE_FILE);
    if (!Files.exists(db)) {
      Files.createFile(db, PosixFilePermissions.asFileAttribute(FILE));
    }
    for (final String suffix : SQLITE_SUFFIXES) {
      final Path file = folder.resolve(Database.SQLITE_FILE + suffix);
      if (Files.exists(file)) {
        Files.setPosixFilePermissions(file, FILE);
      }
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
