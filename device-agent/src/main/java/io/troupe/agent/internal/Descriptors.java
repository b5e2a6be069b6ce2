package io.troupe.agent.internal;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.stream.Stream;

/**
 * Builds a service descriptor from the files of a folder: each regular file (symbolic links are
 * left out, as the folder's handler refuses those leading outside) with its path relative to the
 * folder using '/', size, SHA-256, content type and modification time. The version is the newest
 * modification time in milliseconds, so it grows when content changes (1 for an empty folder).
 */
public final class Descriptors {

  private Descriptors() {}

  /**
   * @throws IOException if the folder or a file in it cannot be read
   */
  public static ServiceDescriptor ofFolder(final String service, final Path folder)
      throws IOException {
    final ServiceDescriptor.Builder d = ServiceDescriptor.newBuilder().setService(service);
    long newest = 0;
    final List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
    }
    final List<Path> sorted =
        files.stream().sorted((a, b) -> name(folder, a).compareTo(name(folder, b))).toList();
    for (final Path file : sorted) {
      final long modified = Files.getLastModifiedTime(file).toMillis();
      newest = Math.max(newest, modified);
      d.addItems(
          Item.newBuilder()
              .setName(name(folder, file))
              .setSize(Files.size(file))
              .setSha256(ByteString.copyFrom(sha256(file)))
              .setContentType(ContentTypes.of(file))
              .setModifiedAtMs(modified));
    }
    return d.setVersion(Math.max(1, newest)).setUpdatedAtMs(newest).build();
  }

  private static String name(final Path folder, final Path file) {
    return folder.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
  }

  /** The SHA-256 of a file's content. */
  public static byte[] sha256(final Path file) throws IOException {
    final MessageDigest digest = newSha256();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return digest.digest();
  }

  /** The SHA-256 of {@code bytes}. */
  public static byte[] sha256(final byte[] bytes) {
    return newSha256().digest(bytes);
  }

  /** A fresh SHA-256 digest, for content hashed as it streams by. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
