package io.troupe.router;

import com.google.common.base.Preconditions;
import java.time.Duration;
import java.util.Objects;

/**
 * How the gateway keeps the servers of a synchronised service in step (R4).
 *
 * @param interval how often the servers still behind the merged descriptor are told it again
 *     ({@code sync-interval-seconds})
 * @param fetchesPerService sync fetches of one service that may wait for an answer at once; past
 *     it, 503 ({@code sync-fetches-per-service}). Per service rather than per identity: every fetch
 *     of a service comes from one of its servers, and a service's servers share its sources.
 */
public record SyncLimits(Duration interval, int fetchesPerService) {

  public SyncLimits {
    Objects.requireNonNull(interval, "interval");
    Preconditions.checkArgument(
        !interval.isNegative() && !interval.isZero(), "interval must be positive: %s", interval);
    Preconditions.checkArgument(
        fetchesPerService > 0, "fetchesPerService must be positive: %s", fetchesPerService);
  }

  /** The defaults of the shipped {@code conf/config.xml}: every 30 s, 8 fetches per service. */
  public static SyncLimits defaults() {
    return new SyncLimits(Duration.ofSeconds(30), 8);
  }
}
