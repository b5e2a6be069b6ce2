package io.troupe.agent.internal.content;

import com.google.protobuf.ByteString;
import io.troupe.agent.api.ContentStore;
import io.troupe.contract.content.ContentNames;
import io.troupe.contract.content.SyncFetch;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.TunnelRequest;
import io.troupe.proto.v1.TunnelResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers another member's sync fetch ({@link SyncFetch#METHOD}) from the service's content store:
 * 200 with up to the asked length of bytes and the item's whole size ({@link SyncFetch#SIZE}); 503
 * when this device does not hold the content (or keeps no store for the service), so that the
 * gateway asks another holder; 400 for a hash that is not 64 hex digits, an offset that is negative
 * or past the item's end, or a length outside 1..{@link SyncFetch#MAX_CHUNK}. The application's
 * handler never sees these requests.
 */
public final class SyncAnswerer {

  private static final Logger log = LoggerFactory.getLogger(SyncAnswerer.class);

  /** Sizes remembered by hash: the same content always has the same size. */
  private static final int SIZES_KEPT = 1024;

  private final String deviceId;
  private final BiFunction<String, String, Optional<ContentStore>> storeOf;
  private final Map<ByteString, Long> sizes =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(final Map.Entry<ByteString, Long> eldest) {
              return size() > SIZES_KEPT;
            }
          });

  /**
   * @param storeOf the content store of a service by community and service name, if it has one
   */
  public SyncAnswerer(
      final String deviceId, final BiFunction<String, String, Optional<ContentStore>> storeOf) {
    this.deviceId = deviceId;
    this.storeOf = storeOf;
  }

  /** The answer to the sync fetch {@code request}; reads the store, so not on the MQTT thread. */
  public TunnelResponse answer(final TunnelRequest request) {
    final ByteString sha;
    final long offset;
    final int length;
    try {
      sha = ContentNames.sha256(request.getPath());
      offset = number(request, SyncFetch.OFFSET, 0, 0, Long.MAX_VALUE);
      length = (int) number(request, SyncFetch.LENGTH, SyncFetch.MAX_CHUNK, 1, SyncFetch.MAX_CHUNK);
    } catch (final IllegalArgumentException e) {
      return refuse(request, 400, e.getMessage());
    }
    final Optional<ContentStore> store =
        storeOf.apply(request.getCommunity(), request.getService());
    if (store.isEmpty()) {
      return refuse(request, 503, "not held: " + deviceId + " keeps no content of this service");
    }
    try {
      final Optional<Long> size = size(store.get(), sha);
      if (size.isEmpty()) {
        return refuse(request, 503, "not held");
      }
      if (offset > size.get()) {
        return refuse(request, 400, "offset " + offset + " is past the item's " + size.get());
      }
      final Optional<byte[]> bytes =
          store.get().read(sha, offset, (int) Math.min(length, size.get() - offset));
      if (bytes.isEmpty()) {
        return refuse(request, 503, "not held");
      }
      log.debug(
          "answered a sync fetch [device: {}, item: {}, offset: {}, bytes: {}]",
          deviceId,
          request.getPath(),
          offset,
          bytes.get().length);
      return TunnelResponse.newBuilder()
          .setRequestId(request.getRequestId())
          .setStatus(200)
          .setBody(ByteString.copyFrom(bytes.get()))
          .setContentType("application/octet-stream")
          .putProperties(SyncFetch.SIZE, Long.toString(size.get()))
          .build();
    } catch (final IOException | RuntimeException e) {
      log.warn(
          "could not answer a sync fetch [device: {}, item: {}]: {}",
          deviceId,
          request.getPath(),
          e.toString());
      return refuse(request, 503, "not held: could not read it here");
    }
  }

  private Optional<Long> size(final ContentStore store, final ByteString sha) throws IOException {
    final Long known = sizes.get(sha);
    if (known != null) {
      return Optional.of(known);
    }
    for (final Item item : store.items()) {
      if (!item.getDeleted() && item.getSha256().equals(sha)) {
        sizes.put(sha, item.getSize());
        return Optional.of(item.getSize());
      }
    }
    return Optional.empty();
  }

  private static long number(
      final TunnelRequest request,
      final String property,
      final long absent,
      final long min,
      final long max) {
    final String text = request.getPropertiesMap().get(property);
    if (text == null) {
      return absent;
    }
    final long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (final NumberFormatException e) {
      throw new IllegalArgumentException(property + " is not a number: '" + text + "'");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          property + " must be " + min + ".." + max + ", got " + value);
    }
    return value;
  }

  private static TunnelResponse refuse(
      final TunnelRequest request, final int status, final String reason) {
    return TunnelResponse.newBuilder()
        .setRequestId(request.getRequestId())
        .setStatus(status)
        .putProperties("reason", reason)
        .build();
  }
}
