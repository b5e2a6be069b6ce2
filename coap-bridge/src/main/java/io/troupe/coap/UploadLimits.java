package io.troupe.coap;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on block-wise uploads (RFC 7959 Block1) the bridge is receiving: how many may be open at
 * once for one identity, from one peer address and in all, how many bytes they may hold together,
 * and how long one may wait for its next block. A body's own size is bounded by the router's {@code
 * max-payload-bytes}.
 *
 * @param perIdentity open uploads of one identity
 * @param perPeer open uploads from one peer address (any port)
 * @param total open uploads in all
 * @param totalBytes bytes that open uploads hold together
 * @param idleTimeout an upload whose next block takes longer than this is dropped
 */
public record UploadLimits(
    int perIdentity, int perPeer, int total, long totalBytes, Duration idleTimeout) {

  public UploadLimits {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (perIdentity < 1 || perPeer < 1 || total < 1 || totalBytes < 1) {
      throw new IllegalArgumentException(
          "upload limits must be at least 1: "
              + perIdentity
              + ", "
              + perPeer
              + ", "
              + total
              + ", "
              + totalBytes);
    }
    if (idleTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
    }
  }

  /** 4 per identity, 4 per peer, 64 in all, 16 MiB together, 10 s between blocks. */
  public static UploadLimits defaults() {
    return new UploadLimits(4, 4, 64, 16L * 1024 * 1024, Duration.ofSeconds(10));
  }
}
