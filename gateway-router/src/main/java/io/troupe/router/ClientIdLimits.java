package io.troupe.router;

import com.google.common.base.Preconditions;

/**
 * How many client ids the gateway binds to identities, and how long they may be (see {@code
 * ClientIds}). Every binding is kept in memory and in the store until it is evicted, so each is
 * bounded: in length, per identity and in all.
 *
 * @param maxLength characters a client id may have; a longer one is refused at CONNECT
 * @param maxPerIdentity client ids one identity may hold bound; beyond it, the least recently used
 *     binding whose session is not connected goes, and when every one is connected the new id is
 *     refused
 * @param maxTotal client ids bound to all identities together; beyond it, an identity can bind a
 *     new id only in place of one of its own that is not connected
 */
public record ClientIdLimits(int maxLength, int maxPerIdentity, int maxTotal) {

  public ClientIdLimits {
    Preconditions.checkArgument(maxLength > 0, "maxLength must be positive: %s", maxLength);
    Preconditions.checkArgument(
        maxPerIdentity > 0, "maxPerIdentity must be positive: %s", maxPerIdentity);
    Preconditions.checkArgument(maxTotal > 0, "maxTotal must be positive: %s", maxTotal);
  }

  /** The defaults of the shipped {@code conf/config.xml}: 128 characters, 1,000, 100,000. */
  public static ClientIdLimits defaults() {
    return new ClientIdLimits(128, 1_000, 100_000);
  }

  public ClientIdLimits withMaxLength(final int value) {
    return new ClientIdLimits(value, maxPerIdentity, maxTotal);
  }

  public ClientIdLimits withMaxPerIdentity(final int value) {
    return new ClientIdLimits(maxLength, value, maxTotal);
  }

  public ClientIdLimits withMaxTotal(final int value) {
    return new ClientIdLimits(maxLength, maxPerIdentity, value);
  }
}
