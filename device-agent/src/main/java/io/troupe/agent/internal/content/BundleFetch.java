package io.troupe.agent.internal.content;

import io.troupe.agent.internal.Descriptors;
import io.troupe.agent.internal.content.ChunkTransport.Chunk;
import io.troupe.agent.internal.content.ChunkTransport.ChunkRequest;
import io.troupe.contract.content.ContentNames;
import io.troupe.contract.content.SyncFetch;
import io.troupe.proto.v1.Item;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several small items in one sync fetch, a bundle ({@link SyncFetch#ITEM}): one request and one
 * answer instead of one each, which is most of the cost of a small item. The answer is cut by the
 * items' sizes; each part whose SHA-256 matches is written to the item's partial file, complete.
 * What the bundle did not bring (no member holds all of it, the gateway refused it, a part did not
 * match) is left for the one-by-one fetch, which resumes, excludes bad sources and fails over.
 */
final class BundleFetch {

  private static final Logger log = LoggerFactory.getLogger(MqttItemSource.class);

  private BundleFetch() {}

  /**
   * Fetches {@code items} into {@code partials} (same order) in one request of at most {@code
   * chunkBytes}; completes, never exceptionally, with the items it did not bring.
   */
  static CompletableFuture<List<Item>> fetch(
      final ChunkTransport transport,
      final Executor executor,
      final AtomicInteger chunkBytes,
      final String address,
      final List<Item> items,
      final List<Path> partials) {
    final long total = items.stream().mapToLong(Item::getSize).sum();
    if (items.size() < 2
        || items.size() > SyncFetch.MAX_BUNDLE
        || items.size() != partials.size()
        || total > chunkBytes.get()) {
      return CompletableFuture.completedFuture(items);
    }
    final String hashes =
        items.stream().map(i -> ContentNames.hex(i.getSha256())).collect(Collectors.joining(","));
    return transport
        .fetch(new ChunkRequest(address, hashes, 0, (int) total, List.of()))
        .handleAsync(
            (chunk, error) -> {
              if (error != null) {
                return items;
              }
              return cut(chunk, chunkBytes, address, items, partials, total);
            },
            executor);
  }

  private static List<Item> cut(
      final Chunk chunk,
      final AtomicInteger chunkBytes,
      final String address,
      final List<Item> items,
      final List<Path> partials,
      final long total) {
    if (chunk.status() == 413 || chunk.status() == 500) {
      // the gateway relays no answer this large: bundles and chunks get smaller from now on
      chunkBytes.accumulateAndGet((int) Math.max(MqttItemSource.MIN_CHUNK, total / 2), Math::min);
      return items;
    }
    final byte[] body = chunk.body();
    if (chunk.status() != 200 || body.length != total || chunk.size().orElse(-1) != total) {
      log.debug(
          "bundle of {} items of {} not brought: {} {} ({} bytes)",
          items.size(),
          address,
          chunk.status(),
          chunk.reason(),
          body.length);
      return items;
    }
    final List<Item> left = new ArrayList<>();
    int at = 0;
    for (int i = 0; i < items.size(); i++) {
      final Item item = items.get(i);
      final byte[] part = Arrays.copyOfRange(body, at, at + (int) item.getSize());
      at += part.length;
      if (!Arrays.equals(Descriptors.sha256(part), item.getSha256().toByteArray())) {
        log.info(
            "{} of {} from {} does not match its SHA-256; fetching it alone",
            item.getName(),
            address,
            chunk.server().orElse("the gateway"));
        left.add(item);
        continue;
      }
      try {
        Files.write(partials.get(i), part);
      } catch (final IOException e) {
        log.warn("could not write {}: {}", partials.get(i), e.getMessage());
        left.add(item);
      }
    }
    return left;
  }
}
