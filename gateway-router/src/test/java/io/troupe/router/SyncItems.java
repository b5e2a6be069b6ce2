package io.troupe.router;

import static io.troupe.router.RouterFixture.device;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Synchronised descriptors and what the router tells of them, for the sync tests (R4). */
final class SyncItems {

  private SyncItems() {}

  static ByteString sha(final String content) {
    try {
      return ByteString.copyFrom(
          MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An item {@code name} with {@code content}, its clock {@code replica -> count}. */
  static Item item(
      final String name, final String content, final long modifiedAt, final Object... clock) {
    final Item.Builder b =
        Item.newBuilder()
            .setName(name)
            .setSize(content.length())
            .setSha256(sha(content))
            .setModifiedAtMs(modifiedAt);
    for (int i = 0; i < clock.length; i += 2) {
      b.putClock((String) clock[i], ((Number) clock[i + 1]).longValue());
    }
    return b.build();
  }

  /** The descriptor of replica {@code replica} holding {@code items}. */
  static ServiceDescriptor held(final String replica, final Item... items) {
    return ServiceDescriptor.newBuilder()
        .setService("notes")
        .setReplica(replica)
        .addAllItems(List.of(items))
        .build();
  }

  static DescriptorReport report(
      final RouterFixture f, final String device, final ServiceDescriptor d) {
    return f.router.describe(device(device), "demo", "notes", device, d.toByteString());
  }

  /** The sync controls among {@code directives}, by device. */
  static Map<String, Control> told(final List<Directive> directives) {
    final Map<String, Control> told = new LinkedHashMap<>();
    for (final Directive d : directives) {
      if (d instanceof Directive.SendControl c && c.control().hasSync()) {
        told.put(c.device(), c.control());
      }
    }
    return told;
  }
}
