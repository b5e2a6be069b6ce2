package io.troupe.router.internal.routing;

import java.util.Optional;

/**
 * Only a server with a fresh status is tried: one that is offline, said OFFLINE, let its status go
 * stale, or has not reported since it connected is skipped (R2, R7). Suspected servers pass here;
 * {@link SuspectedFilter} puts them behind the alive ones.
 */
final class PresenceFilter extends CandidateFilter {

  @Override
  Optional<String> reject(final Candidate c, final RoutingContext ctx) {
    return switch (c.presence()) {
      case ALIVE, SUSPECTED -> Optional.empty();
      case DEAD -> Optional.of("offline");
      case UNKNOWN -> Optional.of("no status since it connected");
    };
  }
}
