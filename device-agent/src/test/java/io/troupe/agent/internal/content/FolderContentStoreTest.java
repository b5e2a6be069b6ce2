package io.troupe.agent.internal.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.troupe.agent.api.ContentStore;
import io.troupe.agent.api.ContentStore.ContentChange;
import io.troupe.agent.internal.Descriptors;
import io.troupe.proto.v1.Item;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderContentStoreTest {

  @TempDir Path tmp;
  private Path folder;
  private FolderContentStore store;
  private final List<ContentChange> changes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() throws IOException {
    folder = Files.createDirectories(tmp.resolve("album"));
    store = new FolderContentStore(folder, () -> 42L);
    store.onChange(changes::add);
  }

  private Item item(final String name) throws IOException {
    return store.items().stream().filter(i -> i.getName().equals(name)).findFirst().orElseThrow();
  }

  private Path write(final String name, final String text) throws IOException {
    final Path file = folder.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  private static ByteString sha(final String text) throws IOException {
    final Path f = Files.createTempFile("sha", ".txt");
    Files.writeString(f, text);
    final ByteString sha = ByteString.copyFrom(Descriptors.sha256(f));
    Files.delete(f);
    return sha;
  }

  /** Another server's version of {@code name}: content {@code text}, clock {@code clock}. */
  private Path verified(final String text) throws IOException {
    return Files.writeString(tmp.resolve("verified-" + System.nanoTime()), text);
  }

  private static Item theirs(final String name, final String text, final Map<String, Long> clock)
      throws IOException {
    return Item.newBuilder()
        .setName(name)
        .setSize(text.getBytes(StandardCharsets.UTF_8).length)
        .setSha256(sha(text))
        .setModifiedAtMs(1_700_000_000_000L)
        .putAllClock(clock)
        .build();
  }

  @Test
  void scan_newFile_countsOneChangeAtTheReplica() throws IOException {
    write("notes.txt", "hello");
    write("2026/trip.txt", "sun");

    final List<Item> items = store.items();

    assertThat(items).extracting(Item::getName).containsExactly("2026/trip.txt", "notes.txt");
    final Item notes = item("notes.txt");
    assertThat(notes.getClockMap()).isEqualTo(Map.of(store.replica(), 1L));
    assertThat(notes.getSize()).isEqualTo(5);
    assertThat(notes.getSha256()).isEqualTo(sha("hello"));
    assertThat(notes.getModifiedAtMs())
        .isEqualTo(Files.getLastModifiedTime(folder.resolve("notes.txt")).toMillis());
    assertThat(changes)
        .extracting(ContentChange::name, ContentChange::kind, ContentChange::local)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("2026/trip.txt", ContentChange.Kind.ADDED, true),
            org.assertj.core.groups.Tuple.tuple("notes.txt", ContentChange.Kind.ADDED, true));
  }

  @Test
  void scan_unchangedOrTouched_keepsTheClock() throws IOException {
    final Path file = write("notes.txt", "hello");
    store.items();
    changes.clear();

    Files.setLastModifiedTime(file, FileTime.fromMillis(1_000));
    store.items();

    assertThat(item("notes.txt").getClockMap()).isEqualTo(Map.of(store.replica(), 1L));
    assertThat(changes).isEmpty();
  }

  @Test
  void scan_changedContent_countsAnotherChange() throws IOException {
    write("notes.txt", "hello");
    store.items();

    write("notes.txt", "hello again");

    final Item notes = item("notes.txt");
    assertThat(notes.getClockMap()).isEqualTo(Map.of(store.replica(), 2L));
    assertThat(notes.getSha256()).isEqualTo(sha("hello again"));
    assertThat(changes).extracting(ContentChange::kind).endsWith(ContentChange.Kind.CHANGED);
  }

  @Test
  void scan_sameSizeAndTime_reusesTheHashInsteadOfReadingTheFile() throws IOException {
    final Path file = write("notes.txt", "hello");
    final FileTime time = Files.getLastModifiedTime(file);
    store.items();

    // same size and modification time: the store does not read the content again
    Files.writeString(file, "HELLO");
    Files.setLastModifiedTime(file, time);

    assertThat(item("notes.txt").getSha256()).isEqualTo(sha("hello"));
  }

  @Test
  void scan_vanishedFile_leavesATombstoneWithOneMoreChange() throws IOException {
    write("notes.txt", "hello");
    store.items();

    Files.delete(folder.resolve("notes.txt"));

    final Item notes = item("notes.txt");
    assertThat(notes.getDeleted()).isTrue();
    assertThat(notes.getSha256()).isEmpty();
    assertThat(notes.getModifiedAtMs()).isEqualTo(42L);
    assertThat(notes.getClockMap()).isEqualTo(Map.of(store.replica(), 2L));
    assertThat(changes).extracting(ContentChange::kind).endsWith(ContentChange.Kind.DELETED);

    // and a file made again under the name continues from the tombstone's clock
    write("notes.txt", "back");
    assertThat(item("notes.txt").getClockMap()).isEqualTo(Map.of(store.replica(), 3L));
  }

  @Test
  void scan_neverListsTheStoresOwnFolderNorLinks() throws IOException {
    write("notes.txt", "hello");
    Files.createSymbolicLink(folder.resolve("link.txt"), folder.resolve("notes.txt"));

    assertThat(store.items()).extracting(Item::getName).containsExactly("notes.txt");
    assertThat(folder.resolve(".troupe/state.pb")).exists();
  }

  @Test
  void restart_keepsReplicaAndClocks_andCountsWhatChangedWhileClosed() throws IOException {
    write("notes.txt", "hello");
    write("gone.txt", "bye");
    store.items();
    write("notes.txt", "hello 2");
    store.items();
    final String replica = store.replica();

    // while no store is open: one file changed, one deleted
    write("notes.txt", "hello 3");
    Files.delete(folder.resolve("gone.txt"));
    final FolderContentStore reopened = new FolderContentStore(folder, () -> 7L);

    assertThat(reopened.replica()).isEqualTo(replica);
    final Map<String, Item> items =
        reopened.items().stream().collect(java.util.stream.Collectors.toMap(Item::getName, i -> i));
    assertThat(items.get("notes.txt").getClockMap()).isEqualTo(Map.of(replica, 3L));
    assertThat(items.get("gone.txt").getDeleted()).isTrue();
    assertThat(items.get("gone.txt").getClockMap()).isEqualTo(Map.of(replica, 2L));
  }

  @Test
  void restart_unchangedFolder_countsNothing() throws IOException {
    write("notes.txt", "hello");
    final Item before = item("notes.txt");

    final FolderContentStore reopened = new FolderContentStore(folder, () -> 7L);

    assertThat(reopened.items()).containsExactly(before);
  }

  @Test
  void open_corruptRecord_refusesRatherThanStartAgain() throws IOException {
    Files.write(folder.resolve(".troupe/state.pb"), new byte[] {(byte) 0xff, 0x01, 0x02});

    assertThatThrownBy(() -> new FolderContentStore(folder))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("corrupt");
  }

  @Test
  void install_newerVersion_movesItInPlaceWithItsTimeAndAdoptsTheClock() throws IOException {
    write("notes.txt", "hello");
    store.items();
    changes.clear();
    final Item newer = theirs("notes.txt", "from afar", Map.of(store.replica(), 1L, "other", 1L));

    final Path verified = verified("from afar");
    store.install(newer, verified);

    assertThat(folder.resolve("notes.txt")).hasContent("from afar");
    assertThat(verified).doesNotExist();
    assertThat(Files.getLastModifiedTime(folder.resolve("notes.txt")).toMillis())
        .isEqualTo(1_700_000_000_000L);
    assertThat(store.items()).containsExactly(newer); // counted as installed: no new change
    assertThat(changes)
        .extracting(ContentChange::kind, ContentChange::local)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(ContentChange.Kind.CHANGED, false));
    assertThat(new FolderContentStore(folder).items()).containsExactly(newer);
  }

  @Test
  void install_intoSubfolder_createsIt() throws IOException {
    final Item added = theirs("2026/trip.txt", "sun", Map.of("other", 1L));

    store.install(added, verified("sun"));

    assertThat(folder.resolve("2026/trip.txt")).hasContent("sun");
    assertThat(changes).extracting(ContentChange::kind).containsExactly(ContentChange.Kind.ADDED);
  }

  @Test
  void install_overALocalEditMadeMeanwhile_isRefusedAndTheEditKept() throws IOException {
    write("notes.txt", "hello");
    store.items();
    final Item newer = theirs("notes.txt", "from afar", Map.of(store.replica(), 1L, "other", 1L));

    write("notes.txt", "edited here while fetching");

    assertThatThrownBy(() -> store.install(newer, verified("from afar")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not newer");
    assertThat(folder.resolve("notes.txt")).hasContent("edited here while fetching");
    assertThat(item("notes.txt").getClockMap()).isEqualTo(Map.of(store.replica(), 2L));
  }

  @Test
  void install_wrongSize_isRefused() throws IOException {
    final Item added = theirs("a.txt", "four", Map.of("other", 1L));

    assertThatThrownBy(() -> store.install(added, verified("five!")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bytes");
    assertThat(folder.resolve("a.txt")).doesNotExist();
  }

  @Test
  void adopt_tombstone_deletesTheFileAndItsEmptyFolder() throws IOException {
    write("2026/trip.txt", "sun");
    final Item mine = item("2026/trip.txt");
    changes.clear();
    final Item tombstone =
        Item.newBuilder()
            .setName("2026/trip.txt")
            .setDeleted(true)
            .putAllClock(Map.of(store.replica(), 1L, "other", 1L))
            .build();

    store.adopt(tombstone);

    assertThat(folder.resolve("2026")).doesNotExist();
    assertThat(store.items()).containsExactly(tombstone);
    assertThat(changes)
        .extracting(ContentChange::kind, ContentChange::local)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(ContentChange.Kind.DELETED, false));
    assertThat(mine.getDeleted()).isFalse();
  }

  @Test
  void adopt_sameContent_takesTheClockOnly() throws IOException {
    write("notes.txt", "hello");
    store.items();
    final Item merged = theirs("notes.txt", "hello", Map.of(store.replica(), 1L, "other", 2L));

    store.adopt(merged);

    assertThat(store.items()).containsExactly(merged);
    assertThat(folder.resolve("notes.txt")).hasContent("hello");
  }

  @Test
  void adopt_contentNotHeld_isRefused() throws IOException {
    write("notes.txt", "hello");
    store.items();

    assertThatThrownBy(() -> store.adopt(theirs("notes.txt", "other", Map.of(store.replica(), 2L))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("does not hold");
  }

  @Test
  void badNames_areRefusedAndTouchNothing() throws IOException {
    Files.writeString(tmp.resolve("outside.txt"), "keep");
    for (final String bad :
        List.of(
            "../outside.txt",
            "/etc/passwd",
            "a/../../outside.txt",
            ".troupe/state.pb",
            ".troupe",
            "a//b",
            "",
            "a\\b")) {
      final Item item = theirs(bad, "x", Map.of("other", 1L));
      assertThatThrownBy(() -> store.install(item, verified("x")))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.adopt(item.toBuilder().setDeleted(true).build()))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> store.open(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(tmp.resolve("outside.txt")).hasContent("keep");
    assertThat(folder.resolve(".troupe/state.pb")).exists();
  }

  @Test
  void install_throughALinkedFolder_isRefused() throws IOException {
    final Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.createSymbolicLink(folder.resolve("out"), elsewhere);

    assertThatThrownBy(
            () -> store.install(theirs("out/x.txt", "x", Map.of("other", 1L)), verified("x")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("outside");
    assertThat(elsewhere.resolve("x.txt")).doesNotExist();
    assertThatThrownBy(
            () -> store.install(theirs("out/new/x.txt", "x", Map.of("other", 1L)), verified("x")))
        .isInstanceOf(IOException.class);
    assertThat(elsewhere.resolve("new")).doesNotExist();
  }

  @Test
  void read_byHash_answersTheBytesAskedFor() throws IOException {
    write("notes.txt", "hello world");
    store.items();

    assertThat(store.read(sha("hello world"), 6, 100)).hasValue("world".getBytes());
    assertThat(store.read(sha("hello world"), 0, 5)).hasValue("hello".getBytes());
    assertThat(store.read(sha("not held"), 0, 5)).isEmpty();
  }

  @Test
  void open_heldItem_givesItsContent() throws IOException {
    write("notes.txt", "hello");

    final Optional<InputStream> in = store.open("notes.txt");

    assertThat(in).isPresent();
    try (InputStream s = in.get()) {
      assertThat(new String(s.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }
    assertThat(store.open("missing.txt")).isEmpty();
  }

  @Test
  void partial_isKeptUnderTheStoresOwnFolder() throws IOException {
    final Path partial = store.partial(sha("x"));

    assertThat(partial.getParent()).isEqualTo(folder.toRealPath().resolve(".troupe/partial"));
    assertThat(partial.getParent()).isDirectory();
  }

  @Test
  void folderFactory_opensAFolderStore() throws IOException {
    final ContentStore opened = ContentStore.folder(folder);

    assertThat(opened.replica()).isEqualTo(store.replica());
  }
}
