package io.troupe.agent.api;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.Item;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jetbrains.annotations.NotNull;

/**
 * The content of one service on this device, kept in step with the service's other servers (R3,
 * R4): the handler serves from it, the agent publishes its items (with their version vectors) as
 * the service's descriptor, fetches what the gateway says it lacks from another member, and answers
 * other members' fetches from it. {@link #folder(Path)} keeps it in a folder; an application may
 * keep it elsewhere by implementing this interface.
 *
 * <p>Items are named by relative paths with '/'; each has a clock (see {@code
 * io.troupe.contract.content.VersionVector}) to which this store adds one at {@link #replica()} for
 * every change made here (not for changes it installs from others). Deletions are kept as
 * tombstones. Implementations are thread-safe.
 */
public interface ContentStore {

  /**
   * A store kept in {@code folder}: every regular file under it is an item named by its relative
   * path (symbolic links are left out). The store's own record (its replica id, the items with
   * their clocks) and partial transfers are kept in {@code .troupe/} at the top of the folder,
   * which is never listed, served or synchronised; the record is replaced atomically on every
   * change, so a store killed at any moment loses nothing it reported. Files changed by hand, even
   * while no agent ran, are counted as this store's changes the next time {@link #items()} looks.
   *
   * @throws IllegalArgumentException if {@code folder} is not a folder
   * @throws IOException if the folder or its record cannot be read or written, or the record is
   *     corrupt (the store does not start again under a new replica)
   */
  static @NotNull ContentStore folder(final @NotNull Path folder) throws IOException {
    return new io.troupe.agent.internal.content.FolderContentStore(folder);
  }

  /** This store's replica id: random, made once, kept across restarts. */
  @NotNull
  String replica();

  /**
   * The items as they are now, tombstones included, sorted by name: local changes made since the
   * last call (in a folder: files added, changed or removed by hand, even while the agent was not
   * running) are counted first, each adding one to the item's clock at {@link #replica()}.
   */
  @NotNull
  List<Item> items() throws IOException;

  /**
   * The size of the content whose SHA-256 is {@code sha256}, when this store holds it under any
   * name. Other members' fetches ask it once per item: a store should answer from what it last
   * counted rather than look at its content again (this default looks, through {@link #items()}).
   */
  default @NotNull Optional<Long> size(final @NotNull ByteString sha256) throws IOException {
    for (final Item item : items()) {
      if (!item.getDeleted() && item.getSha256().equals(sha256)) {
        return Optional.of(item.getSize());
      }
    }
    return Optional.empty();
  }

  /** The content of item {@code name}, when it is held (not deleted). */
  @NotNull
  Optional<InputStream> open(@NotNull String name) throws IOException;

  /**
   * Up to {@code length} bytes from {@code offset} of the content whose SHA-256 is {@code sha256},
   * when this store holds it under any name; empty when it does not (or no longer does).
   */
  @NotNull
  Optional<byte[]> read(@NotNull ByteString sha256, long offset, int length) throws IOException;

  /**
   * Where an incomplete transfer of the content {@code sha256} is kept between attempts (and
   * restarts), so that a fetch resumes at its length; the folder exists.
   */
  @NotNull
  Path partial(@NotNull ByteString sha256) throws IOException;

  /**
   * Installs {@code item} (another server's version, not a deletion) from {@code verified}, a file
   * whose content has the item's size and hash, which it moves into place; the item's clock is
   * adopted as it is.
   */
  void install(@NotNull Item item, @NotNull Path verified) throws IOException;

  /**
   * Applies another server's version that needs no content: a tombstone (the item is deleted here)
   * or a version whose content this store already holds under the name (only the clock is adopted).
   */
  void adopt(@NotNull Item item) throws IOException;

  /** Tells {@code listener} of every change, local or installed; returns a handle to stop. */
  @NotNull
  AutoCloseable onChange(@NotNull Consumer<ContentChange> listener);

  /** A change of one item. */
  record ContentChange(
      @NotNull String name, @NotNull Kind kind, boolean local, @NotNull Item item) {

    /** What happened to the item. */
    public enum Kind {
      ADDED,
      CHANGED,
      DELETED
    }
  }
}
