package io.troupe.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Lays out the extension folder from the packaged zip: the jar and descriptor are replaced on every
 * start; an existing {@code conf/config.xml} (the operator's) and the {@code data/} folder (the
 * gateway's state and admin secret) are kept.
 */
final class ExtensionFolder {

  static final String EXTENSION_ID = "troupe-gateway";

  private ExtensionFolder() {}

  /** Unpacks {@code zip} into {@code extensionsFolder} and returns the extension's folder. */
  static Path unpack(final Path zip, final Path extensionsFolder) throws IOException {
    if (!Files.isRegularFile(zip)) {
      throw new IOException(
          "the extension zip is missing: "
              + zip.toAbsolutePath()
              + " (build it with mvn -DskipTests install)");
    }
    final Path home = extensionsFolder.resolve(EXTENSION_ID);
    boolean found = false;
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        final Path target = extensionsFolder.resolve(entry.getName()).normalize();
        if (!target.startsWith(extensionsFolder.normalize())) {
          throw new IOException("zip entry escapes the extensions folder: " + entry.getName());
        }
        if (!target.startsWith(home)) {
          continue;
        }
        found = true;
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else if (!(target.equals(home.resolve("conf").resolve("config.xml"))
            && Files.exists(target))) {
          Files.createDirectories(target.getParent());
          copy(in, target);
        }
      }
    }
    if (!found) {
      throw new IOException(zip + " holds no " + EXTENSION_ID + "/ folder");
    }
    removeStaleJars(home);
    return home;
  }

  private static void copy(final InputStream in, final Path target) throws IOException {
    final Path temporary = target.resolveSibling(target.getFileName() + ".part");
    Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Keeps only the newest jar: two jars would be two copies of the extension's classes. */
  private static void removeStaleJars(final Path home) throws IOException {
    try (var jars = Files.list(home)) {
      final var sorted =
          jars.filter(p -> p.getFileName().toString().endsWith(".jar"))
              .sorted((a, b) -> Long.compare(mtime(b), mtime(a)))
              .toList();
      for (int i = 1; i < sorted.size(); i++) {
        Files.delete(sorted.get(i));
      }
    }
  }

  private static long mtime(final Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (final IOException e) {
      return 0;
    }
  }
}
