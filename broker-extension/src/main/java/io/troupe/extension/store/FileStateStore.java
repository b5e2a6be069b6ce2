package io.troupe.extension.store;

import io.troupe.proto.v1.GatewayState;
import io.troupe.router.StateStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The embedded store: the whole state as one protobuf file in the data folder, replaced atomically
 * (written to a temporary file, forced to disk, then renamed over the old one), so a crash leaves
 * either the old state or the new one.
 */
public final class FileStateStore implements StateStore {

  private final Path file;
  private final Path temporary;

  public FileStateStore(final Path dataFolder) {
    this.file = dataFolder.resolve("gateway-state.pb");
    this.temporary = dataFolder.resolve("gateway-state.pb.tmp");
  }

  public Path file() {
    return file;
  }

  @Override
  public Optional<GatewayState> load() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(GatewayState.parseFrom(Files.readAllBytes(file)));
    } catch (final IOException e) {
      throw new StateStoreException(
          "cannot read the gateway state from " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void write(final io.troupe.router.StateChange change) {
    save(change.applyTo(load().orElse(GatewayState.getDefaultInstance())));
  }

  /** Replaces the whole saved state with {@code state}. */
  public synchronized void save(final GatewayState state) {
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel channel =
              FileChannel.open(
                  temporary,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.TRUNCATE_EXISTING,
                  StandardOpenOption.WRITE);
          OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
        state.writeTo(out);
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (final AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (final IOException e) {
      throw new StateStoreException(
          "cannot save the gateway state to " + file + ": " + e.getMessage(), e);
    }
  }
}
