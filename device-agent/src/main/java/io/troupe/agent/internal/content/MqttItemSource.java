package io.troupe.agent.internal.content;

import io.troupe.agent.internal.MqttSession;
import io.troupe.contract.Topics;
import io.troupe.contract.content.SyncFetch;
import io.troupe.proto.v1.Item;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fetches items from the service's other servers through the gateway (R4), as {@link SyncFetch}
 * says: requests of {@link SyncFetch#MAX_CHUNK} bytes at most to the service's address, sent as
 * this device over its MQTT session, each with a deadline of its own ({@link #CHUNK_DEADLINE}); one
 * chunk in flight per item, and one transfer per partial file (a second fetch of the same item
 * while one is under way gets the first one's outcome). See {@link ChunkedFetch} for resuming,
 * verifying and changing sources.
 */
public final class MqttItemSource implements ItemSource {

  /** How many sources may fail (corrupt content, gone away) before a fetch gives up. */
  public static final int MAX_SOURCES = 3;

  /** The smallest chunk asked when the gateway refuses larger answers. */
  public static final int MIN_CHUNK = 4 * 1024;

  /** The deadline of each chunk's request: the gateway fails over among holders within it. */
  public static final Duration CHUNK_DEADLINE = Duration.ofSeconds(10);

  private final ChunkTransport transport;
  private final Executor executor;

  /** The chunk size asked: lowered for good when the gateway refuses an answer as too large. */
  private final AtomicInteger chunkBytes;

  private final Map<Path, CompletableFuture<Void>> underWay = new ConcurrentHashMap<>();

  /**
   * Fetches as {@code clientId} (the device id) over {@code session} in chunks of {@link
   * SyncFetch#MAX_CHUNK}; file work and verification run on {@code executor}, never on the MQTT
   * client's thread.
   */
  public MqttItemSource(
      final MqttSession session,
      final Topics topics,
      final String clientId,
      final Executor executor) {
    this(session, topics, clientId, executor, SyncFetch.MAX_CHUNK);
  }

  /**
   * As above, in chunks of {@code chunkBytes}: smaller than {@link SyncFetch#MAX_CHUNK} where the
   * gateway's {@code limits/max-payload-bytes} is (an answer over it is refused).
   *
   * @throws IllegalArgumentException unless {@code chunkBytes} is 1..{@link SyncFetch#MAX_CHUNK}
   */
  public MqttItemSource(
      final MqttSession session,
      final Topics topics,
      final String clientId,
      final Executor executor,
      final int chunkBytes) {
    this(new MqttChunkTransport(session, topics, clientId, CHUNK_DEADLINE), executor, chunkBytes);
  }

  MqttItemSource(final ChunkTransport transport, final Executor executor) {
    this(transport, executor, SyncFetch.MAX_CHUNK);
  }

  MqttItemSource(final ChunkTransport transport, final Executor executor, final int chunkBytes) {
    if (chunkBytes < 1 || chunkBytes > SyncFetch.MAX_CHUNK) {
      throw new IllegalArgumentException(
          "chunkBytes must be 1.." + SyncFetch.MAX_CHUNK + ", got " + chunkBytes);
    }
    this.transport = Objects.requireNonNull(transport, "transport");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.chunkBytes = new AtomicInteger(chunkBytes);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException (in the future) for a deletion or an item without a SHA-256
   */
  @Override
  public CompletableFuture<Void> fetch(final String address, final Item item, final Path partial) {
    if (item.getDeleted() || item.getSha256().size() != 32) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "only content with a SHA-256 is fetched, not '" + item.getName() + "'"));
    }
    final Path key = partial.toAbsolutePath().normalize();
    final CompletableFuture<Void> mine = new CompletableFuture<>();
    final CompletableFuture<Void> running = underWay.putIfAbsent(key, mine);
    if (running != null) {
      return running.copy();
    }
    final ChunkedFetch fetch =
        new ChunkedFetch(transport, executor, chunkBytes, address, item, partial);
    fetch.done.whenComplete(
        (ok, error) -> {
          underWay.remove(key, mine);
          if (error == null) {
            mine.complete(null);
          } else {
            mine.completeExceptionally(error);
          }
        });
    try {
      executor.execute(fetch::step);
    } catch (final RejectedExecutionException e) {
      fetch.done.completeExceptionally(new java.io.IOException("the agent is stopping", e));
    }
    return mine.copy();
  }

  @Override
  public CompletableFuture<List<Item>> fetchBundle(
      final String address, final List<Item> items, final List<Path> partials) {
    return BundleFetch.fetch(transport, executor, chunkBytes, address, items, partials);
  }
}
