package io.troupe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every {@code ./troupe bench} subcommand at a tiny size (a few seconds each), so that no benchmark
 * breaks unseen: each must serve every call and print its summary. The figures themselves are not
 * judged here: speed is for the benchmarks to show, not for timed tests.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SubcommandsTest {

  // the status and failover subcommands run in SubcommandsMoreTest, so that the benchmarks' forks
  // share the tiny runs evenly

  @Test
  void bench_tiny_servesEveryCallInAbbaRoundsAndPrintsTheRatios() throws Exception {
    final Stdout.Printed<RoutingBenchmark.Outcome> run =
        Stdout.capture(() -> RoutingBenchmark.run(200, 2));

    final List<LoadRun.Result> results = run.value().results();
    assertThat(results).hasSize(8).allSatisfy(r -> assertThat(r.failures()).isZero());
    // round 1 runs routed first, round 2 direct first (ABBA), at 1 and at 16 in flight
    assertThat(results.stream().map(r -> r.path() + "@" + r.inFlight()))
        .containsExactly(
            "routed@1",
            "direct@1",
            "routed@16",
            "direct@16",
            "direct@1",
            "routed@1",
            "direct@16",
            "routed@16");
    assertThat(run.value().atOne().rounds()).isEqualTo(2);
    assertThat(run.value().atSixteen().rounds()).isEqualTo(2);
    assertThat(run.text())
        .contains("limits: direct echo responder 1000 answers in flight at most")
        .contains("every call served (1600 calls)")
        .contains("16 in flight: throughput median")
        .containsPattern("16 in flight: routed [0-9.]+ µs, direct [0-9.]+ µs per call");
    // the routed path costs the broker its forwards and the gateway its decisions
    assertThat(run.text())
        .containsPattern(
            "1 in flight: routed [0-9.]+ µs, direct [0-9.]+ µs per call \\(medians\\);");
  }

  @Test
  void api_tiny_servesEveryCallInAbbaRounds() throws Exception {
    final Stdout.Printed<ApiLoadBenchmark.Outcome> run =
        Stdout.capture(() -> ApiLoadBenchmark.run(200, 2, 5, 4, 0));

    assertThat(run.value().results().stream().map(LoadRun.Result::path))
        .containsExactly("busy", "quiet", "quiet", "busy");
    assertThat(run.value().results()).allSatisfy(r -> assertThat(r.failures()).isZero());
    assertThat(run.value().ratios().rounds()).isEqualTo(2);
    assertThat(run.text()).contains("every call served (800 calls)").contains("busy / quiet:");
  }

  @Test
  void policy_tiny_servesEveryCallOnAndOffInAbbaRounds_andTheMetersCount() throws Exception {
    final Stdout.Printed<PolicyBenchmark.Outcome> run =
        Stdout.capture(() -> PolicyBenchmark.run(200, 2));

    assertThat(run.value().results()).hasSize(8).allSatisfy(r -> assertThat(r.failures()).isZero());
    assertThat(run.value().results().stream().map(r -> r.path() + "@" + r.inFlight()))
        .containsExactly(
            "policies on@1",
            "policies off@1",
            "policies on@16",
            "policies off@16",
            "policies off@1",
            "policies on@1",
            "policies off@16",
            "policies on@16");
    assertThat(run.value().atOne().rounds()).isEqualTo(2);
    assertThat(run.value().atSixteen().rounds()).isEqualTo(2);
    // the policies were in force: each "on" run's 200 calls of 64 bytes both ways were counted
    assertThat(run.value().leastCounted()).isGreaterThanOrEqualTo(200L * 64 * 2);
    assertThat(run.text())
        .contains("every call served (1600 calls)")
        .contains("policies on / off, paired by round")
        .contains("16 in flight: throughput median");
  }
}
