package io.troupe.agent.internal.content;

import static io.troupe.agent.internal.content.MqttItemSourceTest.bytes;
import static io.troupe.agent.internal.content.MqttItemSourceTest.item;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.agent.internal.content.ChunkTransport.Chunk;
import io.troupe.agent.internal.content.ChunkTransport.ChunkRequest;
import io.troupe.contract.content.ContentNames;
import io.troupe.contract.content.SyncFetch;
import io.troupe.proto.v1.Item;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many small items in one sync fetch: cut by size, each checked, the rest left for one by one. */
class BundleFetchTest {

  private static final String ADDRESS = "files.demo";

  @TempDir Path dir;

  private final byte[] a = bytes(3_000, 1);
  private final byte[] b = bytes(0, 2);
  private final byte[] c = bytes(5_000, 3);
  private final List<Item> items = List.of(item("a", a), item("b", b), item("c", c));
  private final List<ChunkRequest> asked = new CopyOnWriteArrayList<>();

  private List<Path> partials() {
    return items.stream().map(i -> dir.resolve(ContentNames.hex(i.getSha256()))).toList();
  }

  private ChunkTransport answering(final Function<ChunkRequest, Chunk> answer) {
    return r -> {
      asked.add(r);
      return CompletableFuture.supplyAsync(() -> answer.apply(r));
    };
  }

  private static Chunk ok(final byte[]... parts) {
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (final byte[] p : parts) {
      body.writeBytes(p);
    }
    return new Chunk(
        200, "", Optional.of("dev1"), body.toByteArray(), OptionalLong.of(body.size()));
  }

  private List<Item> fetch(final ChunkTransport transport, final MqttItemSource source)
      throws Exception {
    return source.fetchBundle(ADDRESS, items, partials()).get(10, TimeUnit.SECONDS);
  }

  @Test
  void oneRequestNamesEveryHash_andEachPartLandsInItsPartial() throws Exception {
    final ChunkTransport gateway = answering(r -> ok(a, b, c));

    final List<Item> left = fetch(gateway, new MqttItemSource(gateway, Runnable::run));

    assertThat(left).isEmpty();
    assertThat(asked)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.sha256Hex())
                  .isEqualTo(
                      String.join(
                          ",", items.stream().map(i -> ContentNames.hex(i.getSha256())).toList()));
              assertThat(r.offset()).isZero();
              assertThat(r.length()).isEqualTo(8_000);
            });
    final List<Path> partials = partials();
    assertThat(Files.readAllBytes(partials.get(0))).isEqualTo(a);
    assertThat(Files.readAllBytes(partials.get(1))).isEmpty();
    assertThat(Files.readAllBytes(partials.get(2))).isEqualTo(c);
  }

  @Test
  void aPartThatDoesNotMatchItsHash_isLeftForTheOneByOneFetch_andNotWritten() throws Exception {
    final byte[] bad = c.clone();
    bad[17] ^= 1;
    final ChunkTransport gateway = answering(r -> ok(a, b, bad));

    final List<Item> left = fetch(gateway, new MqttItemSource(gateway, Runnable::run));

    assertThat(left).containsExactly(items.get(2));
    assertThat(partials().get(2)).doesNotExist();
    assertThat(Files.readAllBytes(partials().get(0))).isEqualTo(a);
  }

  @Test
  void refusedOrShortAnswers_leaveEveryItem() throws Exception {
    for (final Chunk answer :
        List.of(
            Chunk.failed(404, "no member holds all 3 contents of the bundle"),
            Chunk.failed(503, "sync fetches of this service are at their limit; retry"),
            ok(a))) {
      final ChunkTransport gateway = answering(r -> answer);
      assertThat(fetch(gateway, new MqttItemSource(gateway, Runnable::run)))
          .as(answer.status() + " " + answer.reason())
          .isEqualTo(items);
    }
    assertThat(partials()).allSatisfy(p -> assertThat(p).doesNotExist());
  }

  @Test
  void tooLargeForTheGateway_lowersTheChunk_soTheNextBundleIsNotAsked() throws Exception {
    final ChunkTransport gateway = answering(r -> Chunk.failed(413, "too large"));
    final MqttItemSource source = new MqttItemSource(gateway, Runnable::run);

    assertThat(fetch(gateway, source)).isEqualTo(items);
    assertThat(fetch(gateway, source)).isEqualTo(items);

    assertThat(asked).as("the second bundle is over the lowered chunk: not asked").hasSize(1);
  }

  @Test
  void reach_fetchesSmallItemsInBundles_andLargeOnesAlone() {
    final List<Item> many = new ArrayList<>();
    for (int i = 0; i < SyncFetch.MAX_BUNDLE + 3; i++) {
      many.add(item("small-" + i, bytes(100, i)));
    }
    many.add(item("large", bytes(Reach.BUNDLED_UP_TO + 1, 99)));
    for (int i = 0; i < 6; i++) {
      many.add(item("mid-" + i, bytes(60_000, 200 + i)));
    }

    final List<List<Item>> units = new ArrayList<>(Reach.units(many));

    assertThat(units)
        .allSatisfy(
            u -> {
              assertThat(u.size()).isBetween(1, SyncFetch.MAX_BUNDLE);
              assertThat(u.stream().mapToLong(Item::getSize).sum())
                  .isLessThanOrEqualTo(SyncFetch.MAX_CHUNK);
            });
    assertThat(units.get(0)).hasSize(SyncFetch.MAX_BUNDLE);
    assertThat(units).contains(List.of(many.get(SyncFetch.MAX_BUNDLE + 3)));
    assertThat(units.stream().flatMap(List::stream).toList())
        .containsExactlyInAnyOrderElementsOf(many);
  }
}
