package io.troupe.router.internal.routing;

import io.troupe.proto.v1.ServerRole;
import java.util.ArrayList;
import java.util.List;

/**
 * A volunteer serves while the primary is away (the patent's service volunteer): while a primary is
 * left after every other filter, every volunteer is skipped, whatever the rule's order. A redirect
 * or a consumer's named server may still name a volunteer: the shortlist then holds that server
 * alone. Runs after the filters that judge a server on its own, and before {@link SuspectedFilter},
 * so that a suspected but usable primary still keeps the volunteers out.
 */
final class VolunteerFilter implements RoutingStage {

  static final String REASON = "a volunteer, while a primary can serve";

  @Override
  public List<Candidate> apply(
      final List<Candidate> in, final RoutingContext ctx, final Explanation.Builder why) {
    if (in.stream().noneMatch(c -> c.role() == ServerRole.PRIMARY)) {
      return in;
    }
    final List<Candidate> kept = new ArrayList<>(in.size());
    for (final Candidate c : in) {
      if (c.role() == ServerRole.VOLUNTEER
          && !ctx.sticky().filter(c.device()::equals).isPresent()) {
        why.skip(c.device(), REASON);
      } else {
        kept.add(c);
      }
    }
    return kept;
  }
}
