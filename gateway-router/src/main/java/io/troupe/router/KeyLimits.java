package io.troupe.router;

import com.google.common.base.Preconditions;
import java.time.Duration;

/**
 * How many keys (R14) the gateway keeps and how long and how often they may serve.
 *
 * @param maxPerIdentity live keys (neither revoked nor expired) one identity may have created
 * @param maxTotal live keys of all identities together
 * @param defaultValidity how long a key is valid when CreateKey asks for no time
 * @param maxValidity the longest validity CreateKey may ask for
 * @param maxUses the most redemptions one key may allow
 */
public record KeyLimits(
    int maxPerIdentity, int maxTotal, Duration defaultValidity, Duration maxValidity, int maxUses) {

  public KeyLimits {
    Preconditions.checkArgument(maxPerIdentity > 0, "maxPerIdentity must be positive");
    Preconditions.checkArgument(maxTotal > 0, "maxTotal must be positive");
    Preconditions.checkArgument(maxUses > 0, "maxUses must be positive");
    Preconditions.checkArgument(
        !defaultValidity.isNegative()
            && !defaultValidity.isZero()
            && defaultValidity.compareTo(maxValidity) <= 0,
        "defaultValidity must be positive and at most maxValidity: %s",
        defaultValidity);
  }

  /** The defaults of the shipped {@code conf/config.xml}. */
  public static KeyLimits defaults() {
    return new KeyLimits(100, 10_000, Duration.ofDays(7), Duration.ofDays(365), 1_000);
  }

  public KeyLimits withMaxPerIdentity(final int n) {
    return new KeyLimits(n, maxTotal, defaultValidity, maxValidity, maxUses);
  }

  public KeyLimits withMaxTotal(final int n) {
    return new KeyLimits(maxPerIdentity, n, defaultValidity, maxValidity, maxUses);
  }
}
