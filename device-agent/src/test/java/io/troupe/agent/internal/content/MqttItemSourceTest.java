package io.troupe.agent.internal.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.troupe.agent.internal.content.ChunkTransport.Chunk;
import io.troupe.agent.internal.content.ChunkTransport.ChunkRequest;
import io.troupe.contract.content.SyncFetch;
import io.troupe.proto.v1.Item;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MqttItemSourceTest {

  private static final String ADDRESS = "files.demo";
  private static final int SIZE = 2 * SyncFetch.MAX_CHUNK + 1000;

  @TempDir Path dir;

  private final byte[] content = bytes(SIZE, 1);
  private final Item item = item("photo.jpg", content);
  private final List<ChunkRequest> asked = new CopyOnWriteArrayList<>();

  /** A server of the service as the fake gateway sees it. */
  private static final class Source {
    final String name;
    final byte[] serves;
    int answersLeft = Integer.MAX_VALUE;
    long reportedSize = -1;

    Source(final String name, final byte[] serves) {
      this.name = name;
      this.serves = serves;
    }
  }

  /** The gateway: the first source not excluded answers; one that went away answers 504. */
  private ChunkTransport gateway(final Source... sources) {
    return r -> {
      asked.add(r);
      for (final Source s : sources) {
        if (r.exclude().contains(s.name)) {
          continue;
        }
        if (s.answersLeft-- <= 0) {
          return done(Chunk.failed(504, "every eligible server timed out"));
        }
        final int end = (int) Math.min(s.serves.length, r.offset() + r.length());
        return done(
            new Chunk(
                200,
                "",
                Optional.of(s.name),
                Arrays.copyOfRange(s.serves, (int) r.offset(), end),
                OptionalLong.of(s.reportedSize >= 0 ? s.reportedSize : s.serves.length)));
      }
      return done(Chunk.failed(404, "no member holds " + r.sha256Hex()));
    };
  }

  private static CompletableFuture<Chunk> done(final Chunk c) {
    return CompletableFuture.supplyAsync(() -> c);
  }

  private void fetch(final ChunkTransport transport, final Path partial) throws Exception {
    new MqttItemSource(transport, Runnable::run)
        .fetch(ADDRESS, item, partial)
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void fetch_emptyPartial_asksChunkAfterChunkAndVerifies() throws Exception {
    final Path partial = dir.resolve("p");

    fetch(gateway(new Source("alpha", content)), partial);

    assertThat(Files.readAllBytes(partial)).isEqualTo(content);
    assertThat(asked)
        .extracting(ChunkRequest::offset)
        .containsExactly(0L, (long) SyncFetch.MAX_CHUNK, 2L * SyncFetch.MAX_CHUNK);
    assertThat(asked)
        .extracting(ChunkRequest::length)
        .containsExactly(SyncFetch.MAX_CHUNK, SyncFetch.MAX_CHUNK, 1000);
    assertThat(asked.get(0).address()).isEqualTo(ADDRESS);
    assertThat(asked.get(0).sha256Hex()).hasSize(64);
  }

  @Test
  void fetch_emptyItem_isCompleteAtOnce_withoutAskingAnyone() throws Exception {
    final Path partial = dir.resolve("empty");

    new MqttItemSource(gateway(), Runnable::run)
        .fetch(ADDRESS, item("empty.txt", new byte[0]), partial)
        .get(10, TimeUnit.SECONDS);

    assertThat(partial).exists().isEmptyFile();
    assertThat(asked).isEmpty();
  }

  @Test
  void fetch_smallerChunksAsked_asksNoMoreThanThat() throws Exception {
    final Path partial = dir.resolve("p");

    new MqttItemSource(gateway(new Source("alpha", content)), Runnable::run, 200_000)
        .fetch(ADDRESS, item, partial)
        .get(10, TimeUnit.SECONDS);

    assertThat(Files.readAllBytes(partial)).isEqualTo(content);
    assertThat(asked).extracting(ChunkRequest::length).allMatch(l -> l <= 200_000).hasSize(3);
    assertThatThrownBy(() -> new MqttItemSource(gateway(), Runnable::run, SyncFetch.MAX_CHUNK + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chunkBytes");
  }

  @Test
  void fetch_gatewayRefusesLargeAnswers_halvesTheChunkForThisAndLaterFetches() throws Exception {
    final ChunkTransport honest = gateway(new Source("alpha", content));
    final ChunkTransport limited =
        r ->
            r.length() > 70_000
                ? done(Chunk.failed(500, "exceeds the size limit"))
                : honest.fetch(r);
    final MqttItemSource source = new MqttItemSource(limited, Runnable::run);

    source.fetch(ADDRESS, item, dir.resolve("p")).get(10, TimeUnit.SECONDS);
    asked.clear();
    source.fetch(ADDRESS, item, dir.resolve("q")).get(10, TimeUnit.SECONDS);

    assertThat(Files.readAllBytes(dir.resolve("p"))).isEqualTo(content);
    assertThat(asked).extracting(ChunkRequest::length).allMatch(l -> l <= SyncFetch.MAX_CHUNK / 4);
  }

  @Test
  void fetch_partialAlreadyHoldsBytes_resumesAtItsLength() throws Exception {
    final Path partial = dir.resolve("p");
    Files.write(partial, Arrays.copyOf(content, 300_000));

    fetch(gateway(new Source("alpha", content)), partial);

    assertThat(Files.readAllBytes(partial)).isEqualTo(content);
    assertThat(asked.get(0).offset()).isEqualTo(300_000L);
    assertThat(asked).allMatch(r -> r.offset() >= 300_000L);
  }

  @Test
  void fetch_contentDoesNotVerify_deletesPartialAndFetchesAgainExcludingTheSource()
      throws Exception {
    final Path partial = dir.resolve("p");
    final byte[] lie = bytes(SIZE, 2);

    fetch(gateway(new Source("liar", lie), new Source("honest", content)), partial);

    assertThat(Files.readAllBytes(partial)).isEqualTo(content);
    final List<ChunkRequest> again =
        asked.stream().filter(r -> r.exclude().contains("liar")).toList();
    assertThat(again).isNotEmpty();
    assertThat(again.get(0).offset()).isZero();
    assertThat(asked.size() - again.size()).isEqualTo(3); // the whole lie, then all over again
  }

  @Test
  void fetch_sourceGoesAwayMidTransfer_excludesItAndContinuesFromThePartial() throws Exception {
    final Path partial = dir.resolve("p");
    final Source first = new Source("alpha", content);
    first.answersLeft = 1;

    fetch(gateway(first, new Source("beta", content)), partial);

    assertThat(Files.readAllBytes(partial)).isEqualTo(content);
    // alpha gave the first chunk and then went away: beta is asked from there, not from 0
    final List<ChunkRequest> after =
        asked.stream().filter(r -> r.exclude().contains("alpha")).toList();
    assertThat(after)
        .extracting(ChunkRequest::offset)
        .first()
        .isEqualTo((long) SyncFetch.MAX_CHUNK);
    assertThat(asked).extracting(ChunkRequest::offset).filteredOn(o -> o == 0L).hasSize(1);
  }

  @Test
  void fetch_threeSourcesSendBadContent_givesUpSayingWhy() {
    final Path partial = dir.resolve("p");
    final ChunkTransport liars =
        gateway(
            new Source("a", bytes(SIZE, 3)),
            new Source("b", bytes(SIZE, 4)),
            new Source("c", bytes(SIZE, 5)),
            new Source("honest", content));

    assertThatThrownBy(() -> fetch(liars, partial))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(IOException.class)
        .hasMessageContaining("gave up after 3 sources")
        .hasMessageContaining("[a]")
        .hasMessageContaining("[c]");
    assertThat(asked).noneMatch(r -> r.exclude().containsAll(List.of("a", "b", "c")));
    assertThat(partial).doesNotExist();
  }

  @Test
  void fetch_sourceReportsAnotherSize_isExcludedAndItsBytesNotKept() throws Exception {
    final Path partial = dir.resolve("p");
    final Source wrong = new Source("wrong", content);
    wrong.reportedSize = 7;

    fetch(gateway(wrong, new Source("right", content)), partial);

    assertThat(Files.readAllBytes(partial)).isEqualTo(content);
    assertThat(asked.get(1).exclude()).containsExactly("wrong");
    assertThat(asked.get(1).offset()).isZero();
  }

  @Test
  void fetch_noMemberHoldsIt_failsWithTheGatewaysReason() {
    assertThatThrownBy(() -> fetch(gateway(), dir.resolve("p")))
        .cause()
        .isInstanceOf(IOException.class)
        .hasMessageContaining("404")
        .hasMessageContaining("no member holds");
  }

  @Test
  void fetch_sameItemTwiceAtOnce_runsOneTransfer() throws Exception {
    final Path partial = dir.resolve("p");
    final List<CompletableFuture<Chunk>> waiting = new ArrayList<>();
    final ChunkTransport held =
        r -> {
          asked.add(r);
          final CompletableFuture<Chunk> f = new CompletableFuture<>();
          waiting.add(f);
          return f;
        };
    final MqttItemSource source = new MqttItemSource(held, Runnable::run);

    final CompletableFuture<Void> one = source.fetch(ADDRESS, item, partial);
    final CompletableFuture<Void> two = source.fetch(ADDRESS, item, partial);

    assertThat(asked).hasSize(1);
    waiting.get(0).complete(Chunk.failed(403, "only servers of the service fetch its content"));
    assertThat(one).isCompletedExceptionally();
    assertThat(two).isCompletedExceptionally();
  }

  @Test
  void fetch_tombstone_isRefused() {
    final Item gone = Item.newBuilder().setName("x").setDeleted(true).build();
    assertThat(new MqttItemSource(gateway(), Runnable::run).fetch(ADDRESS, gone, dir.resolve("p")))
        .isCompletedExceptionally();
    assertThat(asked).isEmpty();
  }

  static byte[] bytes(final int size, final long seed) {
    final byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static Item item(final String name, final byte[] content) {
    try {
      return Item.newBuilder()
          .setName(name)
          .setSize(content.length)
          .setSha256(ByteString.copyFrom(MessageDigest.getInstance("SHA-256").digest(content)))
          .build();
    } catch (final java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
