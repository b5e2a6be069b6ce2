package io.troupe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** How paired rounds are ordered, paired and summarised, and how failed calls are counted. */
class PairedRoundsTest {

  private static LoadRun.Result run(final String path, final double seconds) {
    return new LoadRun.Result(path, 1, 1_000, Map.of(), seconds, 1_000_000, 2_000_000);
  }

  @Test
  void rounds_alternateTheirOrder_abba() {
    assertThat(List.of(1, 2, 3, 4).stream().map(PairedRatios::otherFirst))
        .containsExactly(true, false, true, false);
  }

  @Test
  void pairs_routedBeforeDirect_arePairedWithinTheirRound() {
    // given ABBA rounds: routed 1 s then direct 1 s, then direct 1 s then routed 2 s
    final List<LoadRun.Result> results =
        List.of(run("routed", 1), run("direct", 1), run("direct", 1), run("routed", 2));

    // when paired
    final PairedRatios ratios = BenchReport.pairs(results, "", "routed", 1);

    // then both rounds count, each against its own baseline: ratios 1.0 and 0.5
    assertThat(ratios.rounds()).isEqualTo(2);
    assertThat(ratios.throughputWorst()).isEqualTo(0.5);
    assertThat(ratios.throughputMedian()).isEqualTo(0.75);
  }

  @Test
  void summary_namesTheWorstRound_neverTheBest() {
    final PairedRatios ratios = new PairedRatios();
    ratios.add(run("direct", 1), run("routed", 1));
    ratios.add(run("direct", 1), run("routed", 2));
    ratios.add(run("direct", 1), run("routed", 4));

    assertThat(ratios.summary()).startsWith("throughput median 0.50 worst 0.25;");
  }

  @Test
  void loadRun_answeredWith503_isAFailureByStatus_notAServedCall() throws Exception {
    // when every call is answered quickly, but 503
    final LoadRun.Result r =
        LoadRun.run(
            "routed",
            4,
            20,
            () -> CompletableFuture.failedFuture(new Requester.Refused(503, "no server")));

    // then none is served, and the failures say why
    assertThat(r.failures()).isEqualTo(20);
    assertThat(r.perSecond()).isZero();
    assertThat(r.failuresByKind()).containsExactly(Map.entry("status 503", 20));
    assertThat(BenchReport.summary(List.of(r)))
        .startsWith("FAILED: 20 of 20 calls not served")
        .contains("routed, 4 in flight: status 503:20");
  }

  @Test
  void summary_everyCallServed_saysSo() throws Exception {
    final LoadRun.Result r =
        LoadRun.run("direct", 2, 10, () -> CompletableFuture.completedFuture(null));

    assertThat(BenchReport.summary(List.of(r))).isEqualTo("every call served (10 calls)");
  }
}
