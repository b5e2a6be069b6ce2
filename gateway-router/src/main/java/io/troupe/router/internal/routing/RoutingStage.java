package io.troupe.router.internal.routing;

import java.util.List;

/**
 * One step in choosing a server: a filter drops candidates and says why in the explanation; an
 * order sorts them and names itself when it decides which comes first. Stages are pure: they read
 * only their inputs and change nothing but the explanation they are given.
 */
interface RoutingStage {

  /** The candidates left, in order; {@code why} learns what was skipped or who decided. */
  List<Candidate> apply(List<Candidate> in, RoutingContext ctx, Explanation.Builder why);
}
