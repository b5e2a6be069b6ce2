package io.troupe.agent.internal.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.Item;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The folder store's record across restarts: changes are journalled one item at a time and the
 * record is written whole now and then; a store reopened after any of that, or after being killed
 * while appending, holds every change whose call returned.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoreRecordTest {

  @TempDir Path tmp;
  private Path folder;
  private Path journal;

  @BeforeEach
  void open() throws IOException {
    folder = Files.createDirectories(tmp.resolve("shared"));
    journal = folder.resolve(".troupe/journal.pb");
  }

  private Item install(final FolderContentStore store, final String name, final String text, long n)
      throws Exception {
    final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    final Item item =
        Item.newBuilder()
            .setName(name)
            .setSize(bytes.length)
            .setSha256(ByteString.copyFrom(MessageDigest.getInstance("SHA-256").digest(bytes)))
            .setModifiedAtMs(1_700_000_000_000L)
            .putAllClock(Map.of("elsewhere", n))
            .build();
    store.install(item, Files.write(tmp.resolve("verified-" + System.nanoTime()), bytes));
    return item;
  }

  @Test
  void manyInstalls_areAllThereAfterARestart_andTheJournalIsFoldedIn() throws Exception {
    final FolderContentStore store = new FolderContentStore(folder);
    final List<Item> installed = new ArrayList<>();
    for (int i = 0; i < 600; i++) { // past the journal's size: written whole on the way
      installed.add(install(store, "f/" + i + ".txt", "content " + i, 1));
    }
    assertThat(Files.size(journal)).as("a journal, not the whole record each time").isPositive();

    final FolderContentStore reopened = new FolderContentStore(folder);

    assertThat(reopened.replica()).isEqualTo(store.replica());
    assertThat(reopened.items()).containsExactlyInAnyOrderElementsOf(installed);
    assertThat(journal).doesNotExist();
  }

  @Test
  void concurrentInstalls_sharingWrites_areAllKept() throws Exception {
    final FolderContentStore store = new FolderContentStore(folder);
    final ExecutorService lanes = Executors.newFixedThreadPool(8);
    final List<Future<Item>> done = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      final int n = i;
      done.add(lanes.submit(() -> install(store, "lane/" + n, "bytes of " + n, 1)));
    }
    final List<Item> installed = new ArrayList<>();
    for (final Future<Item> f : done) {
      installed.add(f.get());
    }
    lanes.shutdown();

    assertThat(new FolderContentStore(folder).items())
        .containsExactlyInAnyOrderElementsOf(installed);
  }

  @Test
  void journalCutShortByAKill_keepsTheEntriesBeforeIt_andLaterChangesAreKept() throws Exception {
    final FolderContentStore store = new FolderContentStore(folder);
    final Item a = install(store, "a.txt", "alpha", 1);
    final Item b = install(store, "b.txt", "beta", 1);
    final ByteArrayOutputStream entry = new ByteArrayOutputStream();
    final FolderContentStore other =
        new FolderContentStore(Files.createDirectories(tmp.resolve("other")));
    install(other, "c.txt", "gamma", 1).writeDelimitedTo(entry);
    final byte[] half = Arrays.copyOf(entry.toByteArray(), entry.size() / 2);
    Files.write(journal, half, StandardOpenOption.APPEND);

    final FolderContentStore reopened = new FolderContentStore(folder);
    assertThat(reopened.items()).containsExactly(a, b);
    final Item d = install(reopened, "d.txt", "delta", 1);

    assertThat(new FolderContentStore(folder).items()).containsExactly(a, b, d);
  }

  @Test
  void journalReplayedOverAWholeRecordThatHoldsIt_changesNothing() throws Exception {
    final FolderContentStore store = new FolderContentStore(folder);
    install(store, "x.txt", "first", 1);
    final Item newest = install(store, "x.txt", "second", 2);
    final byte[] oldJournal = Files.readAllBytes(journal);
    new FolderContentStore(folder); // folds the journal into the whole record
    assertThat(journal).doesNotExist();
    // as if killed after the whole record was written and before the journal was emptied
    Files.write(journal, oldJournal);

    final FolderContentStore reopened = new FolderContentStore(folder);

    assertThat(reopened.items()).containsExactly(newest);
    assertThat(Files.readString(folder.resolve("x.txt"))).isEqualTo("second");
  }
}
