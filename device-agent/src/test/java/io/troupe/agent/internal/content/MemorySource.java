package io.troupe.agent.internal.content;

import com.google.protobuf.ByteString;
import io.troupe.agent.internal.Descriptors;
import io.troupe.proto.v1.Item;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Other members' content, in memory: an {@link ItemSource} for tests that need no gateway. */
final class MemorySource implements ItemSource {

  private final Map<ByteString, byte[]> held = new ConcurrentHashMap<>();
  final List<String> fetched = new CopyOnWriteArrayList<>();

  /** Items brought in bundles; those named in {@link #leftOutOfBundles} never are. */
  final List<String> bundled = new CopyOnWriteArrayList<>();

  final java.util.Set<String> leftOutOfBundles = ConcurrentHashMap.newKeySet();

  /** Another member holds {@code text}; its version of {@code name} with {@code clock}. */
  Item holds(final String name, final String text, final Map<String, Long> clock) {
    final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    final ByteString sha = sha(bytes);
    held.put(sha, bytes);
    return Item.newBuilder()
        .setName(name)
        .setSize(bytes.length)
        .setSha256(sha)
        .setModifiedAtMs(1_700_000_000_000L)
        .putAllClock(clock)
        .build();
  }

  static ByteString sha(final byte[] bytes) {
    try {
      final Path f = Files.createTempFile("sha", ".bin");
      Files.write(f, bytes);
      final ByteString sha = ByteString.copyFrom(Descriptors.sha256(f));
      Files.delete(f);
      return sha;
    } catch (final IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public CompletableFuture<Void> fetch(final String address, final Item item, final Path partial) {
    fetched.add(item.getName());
    final byte[] bytes = held.get(item.getSha256());
    if (bytes == null) {
      return CompletableFuture.failedFuture(new IOException("no member holds " + item.getName()));
    }
    return CompletableFuture.runAsync(
        () -> {
          try {
            Files.write(partial, bytes);
          } catch (final IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  @Override
  public CompletableFuture<List<Item>> fetchBundle(
      final String address, final List<Item> items, final List<Path> partials) {
    final List<Item> left = new java.util.ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      final Item item = items.get(i);
      final byte[] bytes = held.get(item.getSha256());
      if (bytes == null || leftOutOfBundles.contains(item.getName())) {
        left.add(item);
        continue;
      }
      try {
        Files.write(partials.get(i), bytes);
      } catch (final IOException e) {
        throw new UncheckedIOException(e);
      }
      bundled.add(item.getName());
    }
    return CompletableFuture.supplyAsync(() -> left);
  }
}
