package io.troupe.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Lays out the extension folder from the packaged zip: the jar and descriptor are replaced on every
 * start; an existing {@code conf/config.xml} (the operator's) and the {@code data/} folder (the
 * gateway's state and admin secret) are kept. Folders are created 0700 and files 0600.
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
    final Path root = extensionsFolder.toAbsolutePath().normalize();
    final Path home = root.resolve(EXTENSION_ID);
    final Path data = home.resolve("data");
    final Set<Path> jars = new HashSet<>();
    boolean found = false;
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        final Path target = root.resolve(entry.getName()).normalize();
        if (!target.startsWith(root)) {
          throw new IOException("zip entry escapes the extensions folder: " + entry.getName());
        }
        if (!target.startsWith(home) || target.startsWith(data)) {
          continue; // another extension's files, or the gateway's own state: never touched
        }
        found = true;
        if (entry.isDirectory()) {
          PrivateFiles.folder(target);
        } else if (!(target.equals(home.resolve("conf").resolve("config.xml"))
            && Files.exists(target))) {
          PrivateFiles.folder(target.getParent());
          copy(in, target);
          if (isJar(target) && target.getParent().equals(home)) {
            jars.add(target);
          }
        }
      }
    }
    if (!found) {
      throw new IOException(zip + " holds no " + EXTENSION_ID + "/ folder");
    }
    removeStaleJars(home, jars);
    // the extension writes its state, the admin secret and the password hashes here
    PrivateFiles.folder(data);
    return home;
  }

  private static void copy(final InputStream in, final Path target) throws IOException {
    final Path temporary = target.resolveSibling(target.getFileName() + ".part");
    Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
    PrivateFiles.file(temporary);
    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
  }

  private static boolean isJar(final Path file) {
    return file.getFileName().toString().endsWith(".jar");
  }

  /**
   * Deletes jars a previous version left beside the new one: two jars would be two copies of the
   * extension's classes, and HiveMQ disables an extension with two {@code ExtensionMain}s.
   */
  private static void removeStaleJars(final Path home, final Set<Path> current) throws IOException {
    final List<Path> stale;
    try (Stream<Path> files = Files.list(home)) {
      stale = files.filter(ExtensionFolder::isJar).filter(p -> !current.contains(p)).toList();
    }
    for (final Path jar : stale) {
      Files.delete(jar);
    }
  }
}
