package io.troupe.router.internal.routing;

import java.util.List;

/**
 * The distribution rule's order (R6): the consumer's named server or the redirect decides alone;
 * otherwise the stage of the rule's order ({@link DistributionOrder#routing}) sorts the candidates.
 * Names the rule that decided.
 */
final class RuleOrder implements RoutingStage {

  @Override
  public List<Candidate> apply(
      final List<Candidate> in, final RoutingContext ctx, final Explanation.Builder why) {
    if (ctx.onlyDevice().isPresent()) {
      why.decidedBy("named server");
      return in;
    }
    if (ctx.redirect().isPresent()) {
      why.decidedBy("REDIRECT to " + ctx.redirect().get());
      return in;
    }
    return ctx.order().routing().stage().apply(in, ctx, why);
  }
}
