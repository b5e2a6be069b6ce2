package io.troupe.agent.internal.content;

import com.google.protobuf.ByteString;
import io.troupe.agent.internal.Descriptors;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of a content folder as they are on disk: every regular file by its item name, with its
 * size and modification time, leaving out the store's own {@code .troupe} folder, symbolic links
 * and files whose names a store may not hold; and their SHA-256s, computed again only when a file's
 * size or modification time changed since it was last hashed (as rsync decides what to look at).
 */
final class FolderFiles {

  private static final Logger log = LoggerFactory.getLogger(FolderFiles.class);

  /** A file seen on disk. */
  record Found(long size, long modifiedMs) {}

  private record Hashed(Found found, ByteString sha256) {}

  private final Path root;
  private final Map<String, Hashed> hashed = new HashMap<>();

  FolderFiles(final Path root) {
    this.root = root;
  }

  Path file(final String name) {
    return root.resolve(name);
  }

  /**
   * Every file by item name, sorted.
   *
   * @throws IOException when a folder cannot be read: a partial listing would count the files it
   *     missed as deleted
   */
  TreeMap<String, Found> list() throws IOException {
    final TreeMap<String, Found> files = new TreeMap<>();
    final Path state = root.resolve(ItemNames.STATE);
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(
              final Path dir, final BasicFileAttributes attrs) {
            return dir.equals(state) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) {
            if (attrs.isRegularFile()) {
              final String name = name(file);
              if (ItemNames.valid(name)) {
                files.put(name, new Found(attrs.size(), attrs.lastModifiedTime().toMillis()));
              } else {
                log.debug("not a content item, left out: {}", file);
              }
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(final Path file, final IOException e)
              throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE; // gone while listing: the next scan counts it
            }
            throw e;
          }
        });
    return files;
  }

  /** The file of item {@code name} as it is now; empty when there is no regular file by it. */
  Optional<Found> one(final String name) throws IOException {
    final Path file = file(name);
    try {
      final BasicFileAttributes attrs =
          Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return attrs.isRegularFile()
          ? Optional.of(new Found(attrs.size(), attrs.lastModifiedTime().toMillis()))
          : Optional.empty();
    } catch (final NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * The SHA-256 of item {@code name}'s file as {@code found}: the one last computed when the size
   * and modification time are those, else read again; empty when the file is gone.
   */
  Optional<ByteString> sha256(final String name, final Found found) throws IOException {
    final Hashed known = hashed.get(name);
    if (known != null && known.found().equals(found)) {
      return Optional.of(known.sha256());
    }
    final ByteString sha;
    try {
      sha = ByteString.copyFrom(Descriptors.sha256(file(name)));
    } catch (final NoSuchFileException e) {
      hashed.remove(name);
      return Optional.empty();
    }
    hashed.put(name, new Hashed(found, sha));
    return Optional.of(sha);
  }

  /**
   * Moves {@code content} into place as item {@code name}'s file: through a temporary file in
   * {@code temporary} (on the folder's file system) whose modification time is set first, then an
   * atomic move over the old file; the folders on the way are made. The file as placed.
   */
  Found place(final String name, final Path content, final long modifiedMs, final Path temporary)
      throws IOException {
    final Path target = contained(name);
    Files.createDirectories(target.getParent());
    final Path tmp = Files.createTempFile(temporary, "install-", ".tmp");
    Files.move(content, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(tmp, FileTime.fromMillis(modifiedMs));
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return one(name).orElseThrow(() -> new IOException("installed " + name + " vanished"));
  }

  /** Deletes item {@code name}'s file, and the folders that leaves empty. */
  void delete(final String name) throws IOException {
    Files.deleteIfExists(contained(name));
    hashed.remove(name);
    for (Path dir = file(name).getParent();
        dir != null && !dir.equals(root) && dir.startsWith(root);
        dir = dir.getParent()) {
      try {
        Files.delete(dir);
      } catch (final IOException e) {
        return; // not empty (or not ours to remove): stop
      }
    }
  }

  /**
   * The file of item {@code name}, once the nearest folder on its way that exists is known to lie
   * in the content folder: a symbolic link must not lead a name from another server outside it.
   */
  Path contained(final String name) throws IOException {
    final Path file = file(name);
    Path existing = file.getParent();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !existing.toRealPath().startsWith(root)) {
      throw new IOException("item " + name + " would lie outside the content folder " + root);
    }
    return file;
  }

  /** Empties {@code folder}. */
  static void clear(final Path folder) throws IOException {
    try (var leftovers = Files.list(folder)) {
      for (final Path p : leftovers.toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Records that item {@code name}'s file, as {@code found}, has content {@code sha256}. */
  void known(final String name, final Found found, final ByteString sha256) {
    hashed.put(name, new Hashed(found, sha256));
  }

  void forget(final String name) {
    hashed.remove(name);
  }

  private String name(final Path file) {
    return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }
}
