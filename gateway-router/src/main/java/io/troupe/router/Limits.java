package io.troupe.router;

import com.google.common.base.Preconditions;

/**
 * How much of the gateway's state one identity may take. Sizes of requests, statuses, descriptors
 * and user properties count against {@link RouterConfig#maxPayloadBytes()}.
 *
 * @param maxMembers identities a community may list and hold as members
 * @param maxCommunitiesPerIdentity communities one identity may own
 * @param maxServicesPerIdentity services one identity may serve
 */
public record Limits(int maxMembers, int maxCommunitiesPerIdentity, int maxServicesPerIdentity) {

  public Limits {
    Preconditions.checkArgument(maxMembers > 0, "maxMembers must be positive: %s", maxMembers);
    Preconditions.checkArgument(
        maxCommunitiesPerIdentity > 0,
        "maxCommunitiesPerIdentity must be positive: %s",
        maxCommunitiesPerIdentity);
    Preconditions.checkArgument(
        maxServicesPerIdentity > 0,
        "maxServicesPerIdentity must be positive: %s",
        maxServicesPerIdentity);
  }

  /** The defaults of the shipped {@code conf/config.xml}. */
  public static Limits defaults() {
    return new Limits(1_000, 20, 100);
  }
}
