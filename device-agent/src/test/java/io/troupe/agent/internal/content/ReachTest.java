package io.troupe.agent.internal.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.troupe.contract.content.ContentNames;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReachTest {

  @TempDir Path tmp;
  private Path folder;
  private FolderContentStore store;
  private String me;
  private final MemorySource others = new MemorySource();

  @BeforeEach
  void open() throws IOException {
    folder = Files.createDirectories(tmp.resolve("album"));
    store = new FolderContentStore(folder, () -> 42L);
    me = store.replica();
  }

  private Reach.Outcome reach(final Item... target) throws Exception {
    return Reach.reach(
            store,
            others,
            "album.fam",
            ServiceDescriptor.newBuilder().addAllItems(List.of(target)).build())
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void reach_fetchesWhatItLacks_deletesWhatWasDeleted_adoptsWhatItHolds() throws Exception {
    Files.writeString(folder.resolve("old.txt"), "old");
    Files.writeString(folder.resolve("same.txt"), "same");
    store.items();
    final Item added = others.holds("new.txt", "new", Map.of("other", 1L));
    final Item deleted =
        Item.newBuilder()
            .setName("old.txt")
            .setDeleted(true)
            .putAllClock(Map.of(me, 1L, "other", 1L))
            .build();
    final Item same = others.holds("same.txt", "same", Map.of(me, 1L, "other", 3L));

    final Reach.Outcome outcome = reach(added, deleted, same);

    assertThat(outcome.failed()).isEmpty();
    assertThat(folder.resolve("new.txt")).hasContent("new");
    assertThat(folder.resolve("old.txt")).doesNotExist();
    assertThat(others.fetched).containsExactly("new.txt");
    assertThat(store.items()).containsExactly(added, deleted, same);
    assertThat(store.partial(added.getSha256())).doesNotExist();
  }

  @Test
  void reach_conflictCopyOfContentHeldHere_isCopiedLocallyBeforeTheWinnerReplacesIt()
      throws Exception {
    // this server's version of notes.txt lost a conflict: the merge keeps it as a copy, and the
    // winner takes the name; no other member holds the losing content
    Files.writeString(folder.resolve("notes.txt"), "mine");
    final Item mine = store.items().get(0);
    final Item winner = others.holds("notes.txt", "theirs", Map.of(me, 1L, "other", 1L));
    final Item copy =
        mine.toBuilder()
            .setName(ContentNames.conflictCopy("notes.txt", me, mine.getSha256()))
            .build();

    final Reach.Outcome outcome = reach(winner, copy);

    assertThat(outcome.failed()).isEmpty();
    assertThat(folder.resolve("notes.txt")).hasContent("theirs");
    assertThat(folder.resolve(copy.getName())).hasContent("mine");
    assertThat(others.fetched).containsExactly("notes.txt");
  }

  @Test
  void reach_oneItemFails_theOthersStillGoAhead() throws Exception {
    Files.writeString(folder.resolve("kept.txt"), "kept");
    store.items();
    final Item missing =
        Item.newBuilder()
            .setName("missing.txt")
            .setSize(3)
            .setSha256(ByteString.copyFrom(new byte[32]))
            .putAllClock(Map.of("other", 1L))
            .build();
    final Item badName = others.holds("../escape.txt", "x", Map.of("other", 1L));
    final Item badDeletion =
        Item.newBuilder().setName(".troupe/state.pb").setDeleted(true).putClock("o", 1).build();
    final Item added = others.holds("new.txt", "new", Map.of("other", 1L));

    final Reach.Outcome outcome = reach(missing, badName, badDeletion, added);

    assertThat(outcome.failed())
        .containsExactlyInAnyOrder("missing.txt", "../escape.txt", ".troupe/state.pb");
    assertThat(folder.resolve("new.txt")).hasContent("new");
    assertThat(tmp.resolve("escape.txt")).doesNotExist();
    assertThat(folder.resolve(".troupe/state.pb")).exists();
  }

  @Test
  void reach_twoNamesWithTheSameContent_fetchItOnce() throws Exception {
    final Item a = others.holds("a.txt", "twin", Map.of("other", 1L));
    final Item b = others.holds("b.txt", "twin", Map.of("other", 1L));

    final Reach.Outcome outcome = reach(a, b);

    assertThat(outcome.failed()).isEmpty();
    assertThat(folder.resolve("a.txt")).hasContent("twin");
    assertThat(folder.resolve("b.txt")).hasContent("twin");
    assertThat(others.fetched).hasSize(1);
  }

  @Test
  void reach_itemsItHoldsInANewerVersion_areLeftForTheMerge() throws Exception {
    Files.writeString(folder.resolve("notes.txt"), "mine");
    store.items();
    final Item older = others.holds("notes.txt", "older", Map.of());

    final Reach.Outcome outcome = reach(older);

    assertThat(outcome.plan().inSync()).isTrue();
    assertThat(folder.resolve("notes.txt")).hasContent("mine");
  }

  @Test
  void reach_smallItems_comeInBundles_andWhatABundleLeftOutIsFetchedAlone() throws Exception {
    final List<Item> target = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      target.add(others.holds("note-" + i + ".txt", "note " + i, Map.of("other", 1L)));
    }
    others.leftOutOfBundles.add("note-3.txt");

    final Reach.Outcome outcome = reach(target.toArray(Item[]::new));

    assertThat(outcome.failed()).isEmpty();
    assertThat(others.bundled)
        .containsExactlyInAnyOrder("note-0.txt", "note-1.txt", "note-2.txt", "note-4.txt");
    assertThat(others.fetched).containsExactly("note-3.txt");
    assertThat(store.items()).containsExactlyElementsOf(target);
    for (int i = 0; i < 5; i++) {
      assertThat(folder.resolve("note-" + i + ".txt")).hasContent("note " + i);
    }
  }
}
