package io.troupe.agent.internal.content;

import com.google.protobuf.InvalidProtocolBufferException;
import io.troupe.proto.v1.ServiceDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A folder content store's own record, {@code .troupe/state.pb}: its replica id and the items it
 * last counted, with their clocks, as a {@link ServiceDescriptor} (a protobuf, so later fields need
 * no migration). Each save writes a temporary file beside it and moves it over the old one
 * atomically: a store killed at any moment finds either the old record or the new one, never half
 * of one.
 */
final class StoreState {

  private final Path file;

  StoreState(final Path stateFolder) {
    this.file = stateFolder.resolve("state.pb");
  }

  /**
   * The record as last saved; empty when there is none yet.
   *
   * @throws IOException when it cannot be read or is not a record (the store then refuses to open
   *     rather than start again under a new replica and count every file as new)
   */
  Optional<ServiceDescriptor> load() throws IOException {
    final byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (final NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      final ServiceDescriptor saved = ServiceDescriptor.parseFrom(bytes);
      if (saved.getReplica().isEmpty()) {
        throw new IOException("content store record " + file + " names no replica");
      }
      return Optional.of(saved);
    } catch (final InvalidProtocolBufferException e) {
      throw new IOException("content store record " + file + " is corrupt: " + e.getMessage(), e);
    }
  }

  void save(final ServiceDescriptor state) throws IOException {
    final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      state.writeTo(out);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (final AtomicMoveNotSupportedException e) {
      throw new IOException("cannot replace " + file + " atomically on this file system", e);
    }
  }
}
