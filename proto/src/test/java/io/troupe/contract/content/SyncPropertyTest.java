package io.troupe.contract.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.contract.content.SyncSimulation.Step;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random runs on three servers: adds, changes, deletions, disconnections (a passive server keeps
 * changing while it serves itself), reconnections, publications and syncs in any interleaving.
 * After everyone reconnects and syncs until quiet, every server holds the merged descriptor's
 * items, and the gateway reported a conflict exactly when the simulation's own causal histories
 * said two versions of an item were concurrent with different outcomes.
 */
class SyncPropertyTest {

  @Property(tries = 200)
  void threeServers_converge_andConflictsAreExactlyTheConcurrentDifferentChanges(
      @ForAll("runs") final List<Step> run) {
    final SyncSimulation sim = new SyncSimulation();

    run.forEach(sim::apply);
    sim.settle();

    assertThat(sim.problems()).as("run %s", run).isEmpty();
    assertThat(sim.divergentServers()).as("run %s", run).isEmpty();
    // the runs must meet conflicts often enough for the second half of the property to mean much
    Statistics.label("conflicts").collect(sim.conflictsReported() > 0);
    Statistics.label("conflicts").coverage(c -> c.check(true).percentage((Double p) -> p > 10.0));
  }

  @Provide
  Arbitrary<List<Step>> runs() {
    final Arbitrary<Integer> server = Arbitraries.integers().between(0, 2);
    // few names and contents, so that servers often meet on the same item and the same content
    final Arbitrary<String> item = Arbitraries.of("a", "b", "c");
    final Arbitrary<String> content = Arbitraries.of("x", "y", "z");
    final Arbitrary<Step> edit =
        Combinators.combine(
                Arbitraries.of(Step.Kind.CHANGE, Step.Kind.CHANGE, Step.Kind.DELETE),
                server,
                item,
                content)
            .as(Step::new);
    final Arbitrary<Step> network =
        Combinators.combine(
                Arbitraries.of(
                    Step.Kind.DISCONNECT, Step.Kind.RECONNECT, Step.Kind.PUBLISH, Step.Kind.REACH),
                server)
            .as((kind, s) -> new Step(kind, s, "", ""));
    return Arbitraries.frequencyOf(Tuple.of(3, edit), Tuple.of(4, network))
        .list()
        .ofMinSize(1)
        .ofMaxSize(40);
  }
}
