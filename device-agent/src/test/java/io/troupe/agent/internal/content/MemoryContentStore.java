package io.troupe.agent.internal.content;

import com.google.protobuf.ByteString;
import io.troupe.agent.api.ContentStore;
import io.troupe.proto.v1.Item;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A content store in memory, holding what a test puts in it; fetching and installing not done. */
public final class MemoryContentStore implements ContentStore {

  private final Map<String, byte[]> content = new TreeMap<>();
  final AtomicInteger reads = new AtomicInteger();

  public MemoryContentStore put(final String name, final byte[] bytes) {
    content.put(name, bytes.clone());
    return this;
  }

  @Override
  public String replica() {
    return "memory";
  }

  @Override
  public synchronized List<Item> items() {
    return content.entrySet().stream()
        .map(e -> MqttItemSourceTest.item(e.getKey(), e.getValue()))
        .toList();
  }

  @Override
  public synchronized Optional<InputStream> open(final String name) {
    return Optional.ofNullable(content.get(name)).map(ByteArrayInputStream::new);
  }

  @Override
  public synchronized Optional<byte[]> read(
      final ByteString sha256, final long offset, final int length) {
    reads.incrementAndGet();
    for (final Map.Entry<String, byte[]> e : content.entrySet()) {
      if (MqttItemSourceTest.item(e.getKey(), e.getValue()).getSha256().equals(sha256)) {
        final byte[] b = e.getValue();
        final int from = (int) Math.min(offset, b.length);
        return Optional.of(Arrays.copyOfRange(b, from, (int) Math.min(b.length, from + length)));
      }
    }
    return Optional.empty();
  }

  @Override
  public Path partial(final ByteString sha256) {
    throw new UnsupportedOperationException("not fetched into");
  }

  @Override
  public void install(final Item item, final Path verified) {
    throw new UnsupportedOperationException("not fetched into");
  }

  @Override
  public void adopt(final Item item) {
    throw new UnsupportedOperationException("not fetched into");
  }

  @Override
  public AutoCloseable onChange(final Consumer<ContentChange> listener) {
    return () -> {};
  }
}
