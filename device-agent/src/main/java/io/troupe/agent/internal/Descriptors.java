package io.troupe.agent.internal;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.stream.Stream;

/** Builds a service descriptor from the files of a folder: name, size, SHA-256, content type. */
public final class Descriptors {

  private Descriptors() {}

  public static ServiceDescriptor ofFolder(final String service, final Path folder)
      throws IOException {
    final ServiceDescriptor.Builder d = ServiceDescriptor.newBuilder().setService(service);
    long newest = 0;
    final List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (final Path file : files) {
      final long modified = Files.getLastModifiedTime(file).toMillis();
      newest = Math.max(newest, modified);
      d.addItems(
          Item.newBuilder()
              .setName(folder.relativize(file).toString().replace('\\', '/'))
              .setSize(Files.size(file))
              .setSha256(ByteString.copyFrom(sha256(file)))
              .setContentType(ContentTypes.of(file))
              .setModifiedAtMs(modified));
    }
    return d.setVersion(Math.max(1, newest)).setUpdatedAtMs(newest).build();
  }

  static byte[] sha256(final Path file) throws IOException {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStreamSink.INSTANCE);
      return ((DigestInputStream) in).getMessageDigest().digest();
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(final int b) {}

    @Override
    public void write(final byte[] b, final int off, final int len) {}
  }
}
