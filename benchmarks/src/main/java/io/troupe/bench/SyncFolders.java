package io.troupe.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The folders the sync benchmark moves: generated with random content, copied, compared by what
 * they hold (relative path to size or SHA-256). A content store's own record, {@code .troupe/}, is
 * not content and is left out of every listing.
 */
final class SyncFolders {

  /** The folder a content store keeps its record and partial transfers in. */
  static final String STORE_RECORD = ".troupe";

  private SyncFolders() {}

  /**
   * Writes {@code files} files of random content, {@code totalBytes} in all, sizes spread from half
   * to one and a half times the mean, in ten subfolders; the same seed gives the same folder.
   */
  static Path generate(final Path folder, final int files, final long totalBytes, final long seed)
      throws IOException {
    final Random random = new Random(seed);
    final long mean = totalBytes / files;
    long left = totalBytes;
    for (int i = 0; i < files; i++) {
      final long size =
          i == files - 1 ? left : Math.min(left, mean / 2 + (long) (random.nextDouble() * mean));
      left -= size;
      final byte[] content = new byte[(int) size];
      random.nextBytes(content);
      final Path file = folder.resolve(String.format("d%d/f%04d.bin", i % 10, i));
      Files.createDirectories(file.getParent());
      Files.write(file, content);
    }
    return folder;
  }

  /** Copies every file of {@code from} (its store record left out) into {@code to}. */
  static Path copy(final Path from, final Path to) throws IOException {
    for (final String name : sizes(from).keySet()) {
      final Path target = to.resolve(name);
      Files.createDirectories(target.getParent());
      Files.copy(from.resolve(name), target);
    }
    Files.createDirectories(to);
    return to;
  }

  /** Replaces the content of {@code name} with {@code size} new random bytes. */
  static void change(final Path folder, final String name, final int size, final long seed)
      throws IOException {
    final byte[] content = new byte[size];
    new Random(seed).nextBytes(content);
    Files.write(folder.resolve(name), content);
  }

  /** Relative path ('/'-separated) to size, of every regular file but the store's record. */
  static Map<String, Long> sizes(final Path folder) throws IOException {
    final Map<String, Long> sizes = new TreeMap<>();
    if (!Files.isDirectory(folder)) {
      return sizes;
    }
    // the store's record is never entered: its temporary and partial files come and go while
    // the agent works, and a walk through them would meet files that are gone
    Files.walkFileTree(
        folder,
        new java.nio.file.SimpleFileVisitor<>() {
          @Override
          public java.nio.file.FileVisitResult preVisitDirectory(
              final Path dir, final java.nio.file.attribute.BasicFileAttributes attrs) {
            return dir.getFileName().toString().equals(STORE_RECORD) && !dir.equals(folder)
                ? java.nio.file.FileVisitResult.SKIP_SUBTREE
                : java.nio.file.FileVisitResult.CONTINUE;
          }

          @Override
          public java.nio.file.FileVisitResult visitFile(
              final Path p, final java.nio.file.attribute.BasicFileAttributes attrs) {
            if (attrs.isRegularFile()) {
              sizes.put(name(folder.relativize(p)), attrs.size());
            }
            return java.nio.file.FileVisitResult.CONTINUE;
          }
        });
    return sizes;
  }

  /** Relative path to lower-case hex SHA-256, of the same files as {@link #sizes}. */
  static Map<String, String> hashes(final Path folder) throws IOException {
    final Map<String, String> hashes = new TreeMap<>();
    for (final String name : sizes(folder).keySet()) {
      hashes.put(name, sha256(folder.resolve(name)));
    }
    return hashes;
  }

  /**
   * Whether {@code folder} holds exactly {@code expected} (path to hash): sizes first, cheaply,
   * hashes only when the names and sizes already agree.
   */
  static boolean holds(
      final Path folder, final Map<String, String> expected, final Map<String, Long> expectedSizes)
      throws IOException {
    return sizes(folder).equals(expectedSizes) && hashes(folder).equals(expected);
  }

  private static String name(final Path rel) {
    return rel.toString().replace(rel.getFileSystem().getSeparator(), "/");
  }

  private static long size(final Path p) {
    try {
      return Files.size(p);
    } catch (final IOException e) {
      // a file that went between listing and looking (a store's temporary file)
      return -1;
    }
  }

  static String sha256(final Path file) throws IOException {
    final MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
