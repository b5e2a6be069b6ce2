package io.troupe.router.internal.routing;

import io.troupe.proto.v1.ServerRole;
import java.util.ArrayList;
import java.util.List;

/**
 * Criteria may give a server a role by area (R9): primary for consumers in one area, secondary in
 * another. When the request names the consumer's area, each server whose criteria give a role for
 * that area takes it for this decision, and the rule's order then ranks it so. A passive server
 * stays passive, and an area role can make no one passive: passivity is the server's own choice
 * (R17), not a matter of where the consumer is. Runs first, so that every later stage sees the role
 * it has here.
 */
final class AreaRoleStage implements RoutingStage {

  @Override
  public List<Candidate> apply(
      final List<Candidate> in, final RoutingContext ctx, final Explanation.Builder why) {
    if (ctx.area().isEmpty()) {
      return in;
    }
    final List<Candidate> out = new ArrayList<>(in.size());
    for (final Candidate c : in) {
      final ServerRole role = roleIn(c, ctx.area().get());
      out.add(
          role == c.role()
              ? c
              : new Candidate(
                  c.device(),
                  role,
                  c.enabled(),
                  c.presence(),
                  c.hasCapacity(),
                  c.inProgress(),
                  c.reported(),
                  c.lastSent()));
    }
    return out;
  }

  /** The role {@code c} has for consumers in {@code area}. */
  static ServerRole roleIn(final Candidate c, final String area) {
    if (c.role() == ServerRole.PASSIVE) {
      return c.role();
    }
    return c.reported().roleIn(area).orElse(c.role());
  }

  /** Whether {@code c}'s role may depend on the consumer's area. */
  static boolean dependsOnArea(final Candidate c) {
    return c.role() != ServerRole.PASSIVE && c.status().getCriteria().getAreaRolesCount() > 0;
  }
}
