package io.troupe.router;

import com.google.common.base.Preconditions;

/**
 * How many consumers' usage of the access policies (R12) the gateway meters. Each meter is a
 * rolling window of at most 60 buckets, kept in memory and saved about once a second, so both
 * counts are bounded; past either, an idle meter (nothing counted in its window, nothing in flight)
 * is forgotten to make room, and when none is idle the request is refused with 503.
 *
 * @param maxMeteredIdentities consumers metered at once, in all
 * @param maxMetersPerIdentity policies one consumer is metered under at once
 */
public record UsageLimits(int maxMeteredIdentities, int maxMetersPerIdentity) {

  public UsageLimits {
    Preconditions.checkArgument(
        maxMeteredIdentities > 0,
        "maxMeteredIdentities must be positive: %s",
        maxMeteredIdentities);
    Preconditions.checkArgument(
        maxMetersPerIdentity > 0,
        "maxMetersPerIdentity must be positive: %s",
        maxMetersPerIdentity);
  }

  /** The defaults of the shipped {@code conf/config.xml}: 100,000 and 1,000. */
  public static UsageLimits defaults() {
    return new UsageLimits(100_000, 1_000);
  }
}
