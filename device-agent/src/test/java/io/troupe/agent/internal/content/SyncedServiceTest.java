package io.troupe.agent.internal.content;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.troupe.proto.v1.Conflict;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The agent's side of synchronisation, against a real folder store and an in-memory source. */
class SyncedServiceTest {

  @TempDir Path tmp;
  private Path folder;
  private FolderContentStore store;
  private final MemorySource others = new MemorySource();
  private final BlockingQueue<ServiceDescriptor> published = new LinkedBlockingQueue<>();
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private SyncedService synced;

  @BeforeEach
  void open() throws IOException {
    folder = Files.createDirectories(tmp.resolve("album"));
    Files.writeString(folder.resolve("notes.txt"), "hello");
    store = new FolderContentStore(folder, () -> 42L);
    logged.start();
    final Logger logger = (Logger) LoggerFactory.getLogger(SyncedService.class);
    logger.addAppender(logged);
    logger.setLevel(Level.WARN);
    logger.setAdditive(false);
  }

  @AfterEach
  void close() {
    if (synced != null) {
      synced.close();
    }
    executor.shutdownNow();
    final Logger logger = (Logger) LoggerFactory.getLogger(SyncedService.class);
    logger.detachAppender(logged);
    logger.setLevel(null);
    logger.setAdditive(true);
  }

  private void start(final Duration interval) throws IOException {
    synced =
        new SyncedService(
            "album",
            store,
            others,
            d -> {
              published.add(d);
              return CompletableFuture.completedFuture(null);
            },
            executor,
            new SyncedService.Timing(Duration.ofMillis(50), Duration.ofMillis(50), interval),
            () -> 7L);
    synced.start();
  }

  /** The next published descriptor that satisfies {@code wanted}, within 5 s. */
  private ServiceDescriptor publishedWhere(final Predicate<ServiceDescriptor> wanted)
      throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      final ServiceDescriptor d = published.poll(100, TimeUnit.MILLISECONDS);
      if (d != null && wanted.test(d)) {
        return d;
      }
    }
    throw new AssertionError("no such descriptor published within 5 s");
  }

  private static boolean has(final ServiceDescriptor d, final String name) {
    return d.getItemsList().stream().anyMatch(i -> i.getName().equals(name) && !i.getDeleted());
  }

  @Test
  void start_describesTheStore_itemsWithClocksAndTheReplica() throws IOException {
    start(Duration.ofHours(1));

    final ServiceDescriptor d = synced.descriptor();

    assertThat(d.getService()).isEqualTo("album");
    assertThat(d.getReplica()).isEqualTo(store.replica());
    assertThat(d.getItemsList()).extracting(Item::getName).containsExactly("notes.txt");
    assertThat(d.getItems(0).getClockMap()).isEqualTo(Map.of(store.replica(), 1L));
    assertThat(d.getVersion()).isEqualTo(1);
  }

  @Test
  void localChange_isPublishedShortlyWithItsClock() throws Exception {
    start(Duration.ofHours(1));

    Files.writeString(folder.resolve("added.txt"), "new here");

    final ServiceDescriptor d = publishedWhere(x -> has(x, "added.txt"));
    assertThat(d.getReplica()).isEqualTo(store.replica());
    assertThat(d.getVersion()).isEqualTo(2);
    assertThat(synced.descriptor().getItemsList()).hasSize(2);
  }

  @Test
  void deletion_isPublishedAsATombstone() throws Exception {
    start(Duration.ofHours(1));

    Files.delete(folder.resolve("notes.txt"));

    final ServiceDescriptor d =
        publishedWhere(x -> x.getItemsCount() == 1 && x.getItems(0).getDeleted());
    assertThat(d.getItems(0).getClockMap()).isEqualTo(Map.of(store.replica(), 2L));
  }

  @Test
  void everyInterval_publishesEvenWithoutChange() throws Exception {
    start(Duration.ofMillis(100));

    publishedWhere(d -> has(d, "notes.txt"));
    publishedWhere(d -> has(d, "notes.txt"));
  }

  @Test
  void syncDirective_reachesTheNewestThenPublishesWhatItHolds() throws Exception {
    start(Duration.ofHours(1));
    final Item theirs = others.holds("photo.txt", "from the primary", Map.of("primary", 1L));
    final Item mine = synced.descriptor().getItems(0);
    final ServiceDescriptor newest =
        ServiceDescriptor.newBuilder().addItems(mine).addItems(theirs).setVersion(2).build();

    synced.sync("album.fam", newest);

    final ServiceDescriptor d = publishedWhere(x -> has(x, "photo.txt"));
    assertThat(d.getItemsList()).contains(theirs);
    assertThat(folder.resolve("photo.txt")).hasContent("from the primary");
  }

  @Test
  void reachThatChangesNothing_publishesNothing_soTheGatewayDoesNotTellItAgainAtOnce()
      throws Exception {
    start(Duration.ofHours(1));
    // content no member holds: the fetch fails, and the store stays as it was
    final Item unheld =
        Item.newBuilder()
            .setName("photo.txt")
            .setSize(5)
            .setSha256(com.google.protobuf.ByteString.copyFrom(new byte[32]))
            .putClock("primary", 1L)
            .build();
    final ServiceDescriptor newest =
        ServiceDescriptor.newBuilder()
            .addItems(synced.descriptor().getItems(0))
            .addItems(unheld)
            .build();

    synced.sync("album.fam", newest);
    // reaches run one after another: the next publication is the one after this later change
    final Item theirs = others.holds("later.txt", "from the primary", Map.of("primary", 1L));
    synced.sync("album.fam", newest.toBuilder().addItems(theirs).build());

    final ServiceDescriptor next = published.poll(5, TimeUnit.SECONDS);
    assertThat(next).isNotNull();
    assertThat(has(next, "later.txt")).as("the first publication after the failed reach").isTrue();
    assertThat(folder.resolve("photo.txt")).doesNotExist();
  }

  @Test
  void conflictsOfTheNewest_areLoggedOnceEach() throws Exception {
    start(Duration.ofHours(1));
    final Conflict first = conflict("notes.txt", 1);
    final ServiceDescriptor newest =
        ServiceDescriptor.newBuilder()
            .addItems(synced.descriptor().getItems(0))
            .addConflicts(first)
            .build();

    synced.sync("album.fam", newest);
    synced.sync("album.fam", newest);
    synced.sync("album.fam", newest.toBuilder().addConflicts(conflict("b.txt", 2)).build());
    // each directive's conflicts are logged when its task runs: let the tasks queued so far run
    executor.submit(() -> null).get(5, TimeUnit.SECONDS);

    assertThat(logged.list)
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .extracting(ILoggingEvent::getFormattedMessage)
        .satisfiesExactly(
            m ->
                assertThat(m)
                    .contains("conflict on notes.txt of album.fam")
                    .contains("later change wins")
                    .contains("kept as notes.txt.conflict-r2-00000000"),
            m -> assertThat(m).contains("conflict on b.txt"));
  }

  private static Conflict conflict(final String item, final long at) {
    return Conflict.newBuilder()
        .setItem(item)
        .setWinnerReplica("r1")
        .setLoserReplica("r2")
        .setLoserSha256(ByteString.copyFrom(new byte[32]))
        .setKeptAs(item + ".conflict-r2-00000000")
        .setAtMs(at)
        .setRule("later change wins")
        .build();
  }
}
