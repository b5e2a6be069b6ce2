package io.troupe.agent.internal.content;

import com.google.protobuf.ByteString;
import io.troupe.agent.api.ContentStore;
import io.troupe.agent.internal.ContentTypes;
import io.troupe.contract.content.ContentNames;
import io.troupe.contract.content.VersionVector;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ContentStore} kept in a folder: every regular file under it is an item named by its
 * relative path. The store's own record (replica id, the items with their clocks) and partial
 * transfers live in {@code .troupe/} at the top of the folder, which is never listed, served or
 * synchronised. The record is saved atomically after every change it counts or applies, before the
 * call that made the change returns, so a store killed at any moment loses nothing it had reported;
 * calls that change it at the same time share one write.
 *
 * <p>Changes made to the folder by hand are counted when {@link #items()} looks (each adds one at
 * this store's replica); versions from other servers are written to a temporary file first and
 * moved into place, their modification time set to the version's. Thread-safe: one lock guards the
 * folder and the record; listeners are told after it is released.
 */
public final class FolderContentStore implements ContentStore {

  private static final Logger log = LoggerFactory.getLogger(FolderContentStore.class);

  private final Path root;
  private final Path partials;
  private final Path temporary;
  private final StoreState state;
  private final FolderFiles files;
  private final LongSupplier clock;
  private final String replica;
  private final Object lock = new Object();

  /** Held while the record is written; taken before {@link #lock}, never while holding it. */
  private final Object saving = new Object();

  /** Items changed since the record was last written: guarded by {@link #lock}. */
  private final Set<String> unsaved = new HashSet<>();

  private final TreeMap<String, Item> items = new TreeMap<>();
  private final List<Consumer<ContentChange>> listeners = new CopyOnWriteArrayList<>();

  /**
   * Opens the store of {@code folder}, creating its record on first use.
   *
   * @throws IOException when the folder or its record cannot be read or written
   */
  public FolderContentStore(final @NotNull Path folder) throws IOException {
    this(folder, System::currentTimeMillis);
  }

  /** As above; {@code clock} dates deletions (epoch milliseconds). */
  FolderContentStore(final Path folder, final LongSupplier clock) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException("not a folder: " + folder);
    }
    this.root = folder.toRealPath();
    final Path own = Files.createDirectories(root.resolve(ItemNames.STATE));
    this.partials = Files.createDirectories(own.resolve("partial"));
    this.temporary = Files.createDirectories(own.resolve("tmp"));
    FolderFiles.clear(temporary); // what a killed install left: its item was never counted
    this.state = new StoreState(own);
    this.files = new FolderFiles(root);
    this.clock = clock;
    final Optional<ServiceDescriptor> saved = state.load();
    if (saved.isPresent()) {
      replica = saved.get().getReplica();
      for (final Item i : saved.get().getItemsList()) {
        items.put(i.getName(), i);
        if (!i.getDeleted()) {
          files.known(
              i.getName(), new FolderFiles.Found(i.getSize(), i.getModifiedAtMs()), i.getSha256());
        }
      }
    } else {
      final byte[] id = new byte[8];
      new SecureRandom().nextBytes(id);
      replica = HexFormat.of().formatHex(id);
      state.save(record());
      log.info("new content store [folder: {}, replica: {}]", root, replica);
    }
  }

  /** The folder, as a real path. */
  public @NotNull Path root() {
    return root;
  }

  @Override
  public @NotNull String replica() {
    return replica;
  }

  @Override
  public @NotNull List<Item> items() throws IOException {
    final List<ContentChange> changes = new ArrayList<>();
    final List<Item> now;
    try {
      synchronized (lock) {
        final TreeMap<String, FolderFiles.Found> onDisk = files.list();
        for (final Map.Entry<String, FolderFiles.Found> f : onDisk.entrySet()) {
          count(f.getKey(), Optional.of(f.getValue()), changes);
        }
        for (final Item i : List.copyOf(items.values())) {
          if (!i.getDeleted() && !onDisk.containsKey(i.getName())) {
            count(i.getName(), Optional.empty(), changes);
          }
        }
        now = List.copyOf(items.values());
      }
    } finally {
      persist();
    }
    tell(changes);
    return now;
  }

  @Override
  public @NotNull Optional<InputStream> open(final @NotNull String name) throws IOException {
    final Path file = files.contained(ItemNames.require(name));
    return files.one(name).isPresent() ? Optional.of(Files.newInputStream(file)) : Optional.empty();
  }

  @Override
  public @NotNull Optional<byte[]> read(
      final @NotNull ByteString sha256, final long offset, final int length) throws IOException {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException(
          "offset and length must not be negative: " + offset + ", " + length);
    }
    final Optional<Item> holder = holder(sha256);
    if (holder.isEmpty()) {
      return Optional.empty();
    }
    try (RandomAccessFile file =
        new RandomAccessFile(files.file(holder.get().getName()).toFile(), "r")) {
      final long available = Math.max(0, file.length() - offset);
      final byte[] bytes = new byte[(int) Math.min(length, available)];
      file.seek(Math.min(offset, file.length()));
      file.readFully(bytes);
      return Optional.of(bytes);
    } catch (final java.io.FileNotFoundException e) {
      return Optional.empty(); // deleted since it was counted
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>From the record as last counted, without walking the folder: a file changed by hand since
   * then is counted at the next look, and meanwhile what {@link #read} sends of it fails the
   * fetching member's SHA-256 check, which then fetches it from another member.
   */
  @Override
  public @NotNull Optional<Long> size(final @NotNull ByteString sha256) {
    return holder(sha256).map(Item::getSize);
  }

  private Optional<Item> holder(final ByteString sha256) {
    synchronized (lock) {
      return items.values().stream()
          .filter(i -> !i.getDeleted() && i.getSha256().equals(sha256))
          .findFirst();
    }
  }

  @Override
  public @NotNull Path partial(final @NotNull ByteString sha256) throws IOException {
    Files.createDirectories(partials);
    return partials.resolve(ContentNames.hex(sha256));
  }

  @Override
  public void install(final @NotNull Item item, final @NotNull Path verified) throws IOException {
    final String name = ItemNames.require(item.getName());
    if (item.getDeleted()) {
      throw new IllegalArgumentException("install a version with content, not a deletion: " + name);
    }
    if (Files.size(verified) != item.getSize()) {
      throw new IOException(
          "content for " + name + " has " + Files.size(verified) + " bytes, not " + item.getSize());
    }
    final List<ContentChange> changes = new ArrayList<>();
    try {
      synchronized (lock) {
        final Optional<Item> mine = newerThanMine(item, changes);
        files.known(
            name, files.place(name, verified, item.getModifiedAtMs(), temporary), item.getSha256());
        items.put(name, item);
        unsaved.add(name);
        changes.add(
            new ContentChange(
                name,
                mine.filter(m -> !m.getDeleted()).isPresent()
                    ? ContentChange.Kind.CHANGED
                    : ContentChange.Kind.ADDED,
                false,
                item));
      }
    } finally {
      persist();
    }
    tell(changes);
  }

  @Override
  public void adopt(final @NotNull Item item) throws IOException {
    final String name = ItemNames.require(item.getName());
    final List<ContentChange> changes = new ArrayList<>();
    try {
      synchronized (lock) {
        final Optional<Item> mine = newerThanMine(item, changes);
        final boolean held = mine.isPresent() && !mine.get().getDeleted();
        if (item.getDeleted()) {
          if (held) {
            files.delete(name);
            changes.add(new ContentChange(name, ContentChange.Kind.DELETED, false, item));
          }
        } else if (!held || !mine.get().getSha256().equals(item.getSha256())) {
          throw new IOException("cannot adopt " + name + ": this store does not hold its content");
        }
        items.put(name, item);
        unsaved.add(name);
      }
    } finally {
      persist();
    }
    tell(changes);
  }

  @Override
  public @NotNull AutoCloseable onChange(final @NotNull Consumer<ContentChange> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * Counts any change to item {@code name} made here since it was last looked at, then checks that
   * {@code theirs} is newer than the version now here: an edit made while a sync was fetching is
   * not overwritten but left for the gateway to merge.
   */
  private Optional<Item> newerThanMine(final Item theirs, final List<ContentChange> changes)
      throws IOException {
    final String name = theirs.getName();
    count(name, files.one(name), changes);
    final Optional<Item> mine = Optional.ofNullable(items.get(name));
    if (mine.isPresent()
        && VersionVector.compare(theirs.getClockMap(), mine.get().getClockMap())
            != VersionVector.Order.AFTER) {
      throw new IOException(
          "version of "
              + name
              + " is not newer than this store's (changed here meanwhile?): left for the gateway"
              + " to merge");
    }
    return mine;
  }

  /**
   * Compares item {@code name} with its file as found (empty: no file) and counts a change at this
   * replica: a new file, new content, or a deletion. True when it counted one.
   */
  private boolean count(
      final String name, final Optional<FolderFiles.Found> found, final List<ContentChange> changes)
      throws IOException {
    final Item saved = items.get(name);
    final boolean held = saved != null && !saved.getDeleted();
    final Optional<ByteString> sha =
        found.isPresent() ? files.sha256(name, found.get()) : Optional.empty();
    if (sha.isEmpty()) {
      if (!held) {
        return false;
      }
      final Item tombstone =
          Item.newBuilder()
              .setName(name)
              .setDeleted(true)
              .setModifiedAtMs(clock.getAsLong())
              .putAllClock(VersionVector.increment(saved.getClockMap(), replica))
              .build();
      items.put(name, tombstone);
      unsaved.add(name);
      changes.add(new ContentChange(name, ContentChange.Kind.DELETED, true, tombstone));
      return true;
    }
    if (held && saved.getSha256().equals(sha.get())) {
      return false; // touched, not changed
    }
    final Item version =
        Item.newBuilder()
            .setName(name)
            .setSize(found.get().size())
            .setSha256(sha.get())
            .setContentType(ContentTypes.of(files.file(name)))
            .setModifiedAtMs(found.get().modifiedMs())
            .putAllClock(
                VersionVector.increment(saved == null ? Map.of() : saved.getClockMap(), replica))
            .build();
    items.put(name, version);
    unsaved.add(name);
    changes.add(
        new ContentChange(
            name, held ? ContentChange.Kind.CHANGED : ContentChange.Kind.ADDED, true, version));
    return true;
  }

  /**
   * Writes every change counted or applied so far that no write has covered yet, and returns once
   * they are on disk: the changed items are appended to the record's journal, or the record is
   * written whole when the journal has grown (see {@link StoreState}). Writing happens outside the
   * store's lock, and installs that finish while one write is under way share the next one.
   */
  private void persist() throws IOException {
    synchronized (saving) {
      final List<Item> changed = new ArrayList<>();
      final ServiceDescriptor whole;
      synchronized (lock) {
        if (unsaved.isEmpty()) {
          return;
        }
        unsaved.forEach(name -> changed.add(items.get(name)));
        unsaved.clear();
        whole = state.wantsWhole(items.size()) ? record() : null;
      }
      try {
        if (whole != null) {
          state.save(whole);
        } else {
          state.append(changed);
        }
      } catch (final IOException | RuntimeException e) {
        synchronized (lock) {
          changed.forEach(i -> unsaved.add(i.getName())); // the next write tries them again
        }
        throw e;
      }
    }
  }

  private ServiceDescriptor record() {
    return ServiceDescriptor.newBuilder().setReplica(replica).addAllItems(items.values()).build();
  }

  private void tell(final List<ContentChange> changes) {
    for (final ContentChange c : changes) {
      for (final Consumer<ContentChange> l : listeners) {
        try {
          l.accept(c);
        } catch (final RuntimeException e) {
          log.warn("a content change listener failed [folder: {}, item: {}]", root, c.name(), e);
        }
      }
    }
  }
}
