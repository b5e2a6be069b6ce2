package io.troupe.contract.content;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;

/** Versions of items and descriptors for the model's tests, written the way a server makes them. */
final class Versions {

  private Versions() {}

  /** A clock from pairs: {@code clock("a", 2, "b", 1)}. */
  static Map<String, Long> clock(final Object... replicaCounts) {
    final TreeMap<String, Long> clock = new TreeMap<>();
    for (int i = 0; i < replicaCounts.length; i += 2) {
      clock.put((String) replicaCounts[i], ((Number) replicaCounts[i + 1]).longValue());
    }
    return clock;
  }

  /** A version of {@code name} holding {@code content}, changed at {@code atMs}. */
  static Item file(
      final String name, final String content, final long atMs, final Map<String, Long> clock) {
    final byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return Item.newBuilder()
        .setName(name)
        .setSize(bytes.length)
        .setSha256(sha256(content))
        .setModifiedAtMs(atMs)
        .putAllClock(clock)
        .build();
  }

  /** A deletion (tombstone) of {@code name} at {@code atMs}. */
  static Item tombstone(final String name, final long atMs, final Map<String, Long> clock) {
    return Item.newBuilder()
        .setName(name)
        .setDeleted(true)
        .setModifiedAtMs(atMs)
        .putAllClock(clock)
        .build();
  }

  /** A server's descriptor of service "docs" as replica {@code replica} publishes it. */
  static ServiceDescriptor published(final String replica, final Item... items) {
    return ServiceDescriptor.newBuilder()
        .setService("docs")
        .setCommunity("team")
        .setReplica(replica)
        .setDeviceId("device-" + replica)
        .addAllItems(java.util.List.of(items))
        .build();
  }

  static ByteString sha256(final String content) {
    try {
      return ByteString.copyFrom(
          MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
