package io.troupe.agent.internal.content;

import com.google.protobuf.InvalidProtocolBufferException;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A folder content store's own record: its replica id and the items it last counted, with their
 * clocks. It is kept in two files of {@code .troupe/}:
 *
 * <ul>
 *   <li>{@code state.pb}, a whole {@link ServiceDescriptor} (a protobuf, so later fields need no
 *       migration), replaced atomically: a temporary file beside it is moved over it;
 *   <li>{@code journal.pb}, the items changed since, each appended as a length-delimited {@link
 *       Item}: a change of one item writes that item, not the whole record again, so a reach that
 *       installs a thousand items does not write the record a thousand times.
 * </ul>
 *
 * A store killed at any moment finds the old {@code state.pb} or the new one, and a journal whose
 * last entry may be cut short: the entries before it are read, the cut one is dropped (its call
 * never returned), and the record is written whole again at once. Replaying the journal over a
 * {@code state.pb} that already holds its entries changes nothing, since each name's last entry is
 * its newest version: so a store killed between writing {@code state.pb} and emptying the journal
 * loses nothing either.
 */
final class StoreState {

  private final Path file;
  private final Path journal;
  private long journalled;

  StoreState(final Path stateFolder) {
    this.file = stateFolder.resolve("state.pb");
    this.journal = stateFolder.resolve("journal.pb");
  }

  /**
   * The record as last saved, journal included; empty when there is none yet. A journal found is
   * folded into {@code state.pb} at once.
   *
   * @throws IOException when it cannot be read or is not a record (the store then refuses to open
   *     rather than start again under a new replica and count every file as new)
   */
  Optional<ServiceDescriptor> load() throws IOException {
    final byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (final NoSuchFileException e) {
      Files.deleteIfExists(journal); // written after state.pb only: nothing of this store
      return Optional.empty();
    }
    final ServiceDescriptor saved;
    try {
      saved = ServiceDescriptor.parseFrom(bytes);
    } catch (final InvalidProtocolBufferException e) {
      throw new IOException("content store record " + file + " is corrupt: " + e.getMessage(), e);
    }
    if (saved.getReplica().isEmpty()) {
      throw new IOException("content store record " + file + " names no replica");
    }
    if (!Files.exists(journal)) {
      return Optional.of(saved);
    }
    final TreeMap<String, Item> items = new TreeMap<>();
    saved.getItemsList().forEach(i -> items.put(i.getName(), i));
    try (InputStream in = new BufferedInputStream(Files.newInputStream(journal))) {
      while (true) {
        final Item item;
        try {
          item = Item.parseDelimitedFrom(in);
        } catch (final InvalidProtocolBufferException cutShort) {
          break; // the last entry of a store killed while appending it
        }
        if (item == null) {
          break;
        }
        items.put(item.getName(), item);
      }
    }
    final ServiceDescriptor whole =
        saved.toBuilder().clearItems().addAllItems(items.values()).build();
    save(whole);
    return Optional.of(whole);
  }

  /** Appends the newest versions of {@code changed} to the journal. */
  void append(final List<Item> changed) throws IOException {
    try (OutputStream out =
        new BufferedOutputStream(
            Files.newOutputStream(journal, StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
      for (final Item item : changed) {
        item.writeDelimitedTo(out);
      }
    }
    journalled += changed.size();
  }

  /**
   * Whether the journal has grown enough that the record should be written whole: once it holds as
   * many entries as the record has items (and at least a few hundred).
   */
  boolean wantsWhole(final int items) {
    return journalled >= Math.max(256, items);
  }

  /** Writes the whole record and empties the journal. */
  void save(final ServiceDescriptor state) throws IOException {
    final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
      state.writeTo(out);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (final AtomicMoveNotSupportedException e) {
      throw new IOException("cannot replace " + file + " atomically on this file system", e);
    }
    Files.deleteIfExists(journal);
    journalled = 0;
  }
}
