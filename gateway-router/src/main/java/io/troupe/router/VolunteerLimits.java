package io.troupe.router;

import com.google.common.base.Preconditions;
import java.time.Duration;
import java.util.Objects;

/**
 * How many requests the gateway holds for a volunteer (R16), and how long it waits for one it
 * asked. When a request of a service in a community formed from a directory group finds no usable
 * server, the router asks a present group member that volunteers for the service to serve it, and
 * holds the request (within its deadline) until the volunteer reports itself available. A held
 * request keeps its body in the gateway's heap and counts against the bounds of {@link
 * InFlightLimits} too; past either bound below it is refused with 503 as it would have been without
 * volunteers.
 *
 * @param maxHeldPerService requests of one service held for a volunteer at once
 * @param maxHeldPerIdentity requests of one consumer identity held for volunteers at once, all
 *     services together
 * @param askAgainAfter how long an asked volunteer has to come before the next candidate (or the
 *     same one, when it is the only one) is asked; never more than one ask per service is
 *     outstanding
 */
public record VolunteerLimits(
    int maxHeldPerService, int maxHeldPerIdentity, Duration askAgainAfter) {

  public VolunteerLimits {
    Preconditions.checkArgument(
        maxHeldPerService > 0, "maxHeldPerService must be positive: %s", maxHeldPerService);
    Preconditions.checkArgument(
        maxHeldPerIdentity > 0, "maxHeldPerIdentity must be positive: %s", maxHeldPerIdentity);
    Objects.requireNonNull(askAgainAfter, "askAgainAfter");
    Preconditions.checkArgument(
        !askAgainAfter.isNegative() && !askAgainAfter.isZero(),
        "askAgainAfter must be positive: %s",
        askAgainAfter);
  }

  /** The defaults of the shipped {@code conf/config.xml}. */
  public static VolunteerLimits defaults() {
    return new VolunteerLimits(16, 4, Duration.ofSeconds(5));
  }

  public VolunteerLimits withMaxHeldPerService(final int value) {
    return new VolunteerLimits(value, maxHeldPerIdentity, askAgainAfter);
  }

  public VolunteerLimits withMaxHeldPerIdentity(final int value) {
    return new VolunteerLimits(maxHeldPerService, value, askAgainAfter);
  }

  public VolunteerLimits withAskAgainAfter(final Duration value) {
    return new VolunteerLimits(maxHeldPerService, maxHeldPerIdentity, value);
  }
}
