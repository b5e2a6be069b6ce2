package io.troupe.agent.internal.content;

import com.google.protobuf.ByteString;
import io.troupe.agent.api.ContentStore;
import io.troupe.contract.content.ContentNames;
import io.troupe.contract.content.SyncFetch;
import io.troupe.proto.v1.TunnelRequest;
import io.troupe.proto.v1.TunnelResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers another member's sync fetch ({@link SyncFetch#METHOD}) from the service's content store:
 * 200 with up to the asked length of bytes and the item's whole size ({@link SyncFetch#SIZE}); 503
 * when this device does not hold the content (or keeps no store for the service), so that the
 * gateway asks another holder; 400 for a hash that is not 64 hex digits, an offset that is negative
 * or past the item's end, or a length outside 1..{@link SyncFetch#MAX_CHUNK}. A bundle (hashes
 * separated by commas) is answered with every content whole, one after another. The application's
 * handler never sees these requests.
 */
public final class SyncAnswerer {

  private static final Logger log = LoggerFactory.getLogger(SyncAnswerer.class);

  private final String deviceId;
  private final BiFunction<String, String, Optional<ContentStore>> storeOf;

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
    final Optional<ContentStore> store =
        storeOf.apply(request.getCommunity(), request.getService());
    if (request.getPath().contains(",")) {
      return answerBundle(request, store);
    }
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
    if (store.isEmpty()) {
      return noStore(request);
    }
    try {
      final Optional<Long> size = store.get().size(sha);
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
      return content(request, ByteString.copyFrom(bytes.get()), size.get());
    } catch (final IOException | RuntimeException e) {
      log.warn(
          "could not answer a sync fetch [device: {}, item: {}]: {}",
          deviceId,
          request.getPath(),
          e.toString());
      return refuse(request, 503, "not held: could not read it here");
    }
  }

  /**
   * A bundle ({@link SyncFetch#ITEM}): every content asked, whole, one after another in the order
   * asked; 503 unless this store holds them all, 400 for a malformed list or one larger than {@link
   * SyncFetch#MAX_CHUNK} in all.
   */
  private TunnelResponse answerBundle(
      final TunnelRequest request, final Optional<ContentStore> store) {
    final List<ByteString> shas = new ArrayList<>();
    try {
      final String[] each = request.getPath().split(",", -1);
      if (each.length > SyncFetch.MAX_BUNDLE) {
        throw new IllegalArgumentException(
            "a bundle asks for at most " + SyncFetch.MAX_BUNDLE + " contents");
      }
      for (final String hex : each) {
        shas.add(ContentNames.sha256(hex));
      }
      if (number(request, SyncFetch.OFFSET, 0, 0, 0) != 0) {
        throw new IllegalArgumentException("a bundle is fetched whole");
      }
    } catch (final IllegalArgumentException e) {
      return refuse(request, 400, e.getMessage());
    }
    if (store.isEmpty()) {
      return noStore(request);
    }
    try {
      long total = 0;
      final List<Long> sizes = new ArrayList<>();
      for (final ByteString sha : shas) {
        final Optional<Long> size = store.get().size(sha);
        if (size.isEmpty()) {
          return refuse(request, 503, "not held: " + ContentNames.hex(sha));
        }
        sizes.add(size.get());
        total += size.get();
      }
      if (total > SyncFetch.MAX_CHUNK) {
        return refuse(
            request, 400, "the bundle holds " + total + " bytes, more than " + SyncFetch.MAX_CHUNK);
      }
      final ByteString.Output body = ByteString.newOutput((int) total);
      for (int i = 0; i < shas.size(); i++) {
        final Optional<byte[]> bytes = store.get().read(shas.get(i), 0, (int) (long) sizes.get(i));
        if (bytes.isEmpty() || bytes.get().length != sizes.get(i)) {
          return refuse(request, 503, "not held: " + ContentNames.hex(shas.get(i)));
        }
        body.write(bytes.get());
      }
      log.debug(
          "answered a sync bundle [device: {}, contents: {}, bytes: {}]",
          deviceId,
          shas.size(),
          total);
      return content(request, body.toByteString(), total);
    } catch (final IOException | RuntimeException e) {
      log.warn(
          "could not answer a sync bundle [device: {}, contents: {}]: {}",
          deviceId,
          shas.size(),
          e.toString());
      return refuse(request, 503, "not held: could not read it here");
    }
  }

  private TunnelResponse noStore(final TunnelRequest request) {
    return refuse(request, 503, "not held: " + deviceId + " keeps no content of this service");
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

  /** 200 with {@code body}, and {@link SyncFetch#SIZE}: the item's (or the bundle's) whole size. */
  private static TunnelResponse content(
      final TunnelRequest request, final ByteString body, final long size) {
    return TunnelResponse.newBuilder()
        .setRequestId(request.getRequestId())
        .setStatus(200)
        .setBody(body)
        .setContentType("application/octet-stream")
        .putProperties(SyncFetch.SIZE, Long.toString(size))
        .build();
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
