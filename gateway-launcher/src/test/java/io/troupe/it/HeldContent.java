package io.troupe.it;

import com.google.protobuf.ByteString;
import io.troupe.agent.api.ContentStore;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A content store that holds what a test gives it and only answers reads: what a source of sync
 * fetches needs. It can lie (every byte it reads is flipped, while its items claim the true hash),
 * records the offset of every read, and can hold reads from an offset on until released, so that a
 * test catches a transfer half-way.
 */
final class HeldContent implements ContentStore {

  private final String replica;
  private final Map<String, byte[]> content = new ConcurrentSkipListMap<>();
  private final boolean lies;
  private final List<Map.Entry<String, Long>> reads = new CopyOnWriteArrayList<>();
  private volatile long holdFrom = Long.MAX_VALUE;
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch holding = new CountDownLatch(1);

  HeldContent(final String replica, final boolean lies) {
    this.replica = replica;
    this.lies = lies;
  }

  HeldContent put(final String name, final byte[] bytes) {
    content.put(name, bytes.clone());
    return this;
  }

  /** Reads from {@code offset} on wait (up to 30 s, or until the reading thread is interrupted). */
  HeldContent holdFrom(final long offset) {
    holdFrom = offset;
    return this;
  }

  /** The offsets of the reads of item {@code name}, in order. */
  List<Long> reads(final String name) {
    return reads.stream().filter(r -> r.getKey().equals(name)).map(Map.Entry::getValue).toList();
  }

  boolean isHolding() {
    return holding.getCount() == 0;
  }

  /** The descriptor a server holding this reports: its items, its replica. */
  ServiceDescriptor descriptor(final String service) {
    return ServiceDescriptor.newBuilder()
        .setService(service)
        .setVersion(1)
        .setReplica(replica)
        .addAllItems(items())
        .build();
  }

  static Item item(final String name, final byte[] bytes) {
    try {
      return Item.newBuilder()
          .setName(name)
          .setSize(bytes.length)
          .setSha256(ByteString.copyFrom(MessageDigest.getInstance("SHA-256").digest(bytes)))
          .putClock("origin", 1)
          .setModifiedAtMs(1_000)
          .build();
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String replica() {
    return replica;
  }

  @Override
  public List<Item> items() {
    return content.entrySet().stream().map(e -> item(e.getKey(), e.getValue())).toList();
  }

  @Override
  public Optional<InputStream> open(final String name) {
    return Optional.ofNullable(content.get(name)).map(ByteArrayInputStream::new);
  }

  @Override
  public Optional<byte[]> read(final ByteString sha256, final long offset, final int length)
      throws IOException {
    for (final Map.Entry<String, byte[]> e : content.entrySet()) {
      if (item(e.getKey(), e.getValue()).getSha256().equals(sha256)) {
        reads.add(Map.entry(e.getKey(), offset));
        if (offset >= holdFrom) {
          hold();
        }
        final byte[] b = e.getValue();
        final int from = (int) Math.min(offset, b.length);
        final byte[] chunk = Arrays.copyOfRange(b, from, (int) Math.min(b.length, from + length));
        if (lies) {
          for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) ~chunk[i];
          }
        }
        return Optional.of(chunk);
      }
    }
    return Optional.empty();
  }

  private void hold() throws IOException {
    holding.countDown();
    try {
      if (!release.await(30, TimeUnit.SECONDS)) {
        throw new IOException("held too long");
      }
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while held", e);
    }
  }

  @Override
  public Path partial(final ByteString sha256) {
    throw new UnsupportedOperationException("a source only");
  }

  @Override
  public void install(final Item item, final Path verified) {
    throw new UnsupportedOperationException("a source only");
  }

  @Override
  public void adopt(final Item item) {
    throw new UnsupportedOperationException("a source only");
  }

  @Override
  public AutoCloseable onChange(final Consumer<ContentChange> listener) {
    return () -> {};
  }
}
