package io.troupe.router.internal.routing;

import io.troupe.proto.v1.ServerRole;
import java.util.Optional;

/** A passive server serves only its own local requests, never anyone else's (R17). */
final class RoleFilter extends CandidateFilter {

  @Override
  Optional<String> reject(final Candidate c, final RoutingContext ctx) {
    return c.role() == ServerRole.PASSIVE ? Optional.of("passive") : Optional.empty();
  }
}
