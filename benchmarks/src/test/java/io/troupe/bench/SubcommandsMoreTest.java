package io.troupe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rest of {@link SubcommandsTest}: the status and failover subcommands at a tiny size, in a
 * class of their own so that the benchmarks' test forks share the tiny runs evenly.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SubcommandsMoreTest {

  @Test
  void status_tiny_republishesDistributionLists() throws Exception {
    final Stdout.Printed<StatusIngestBenchmark.Outcome> run =
        Stdout.capture(() -> StatusIngestBenchmark.run(2, 400, 1));

    assertThat(run.value().rates()).hasSize(1);
    assertThat(run.value().rates()[0]).isPositive();
    assertThat(run.value().distributionLists()).isPositive();
    assertThat(run.text()).contains("statuses/s: median");
  }

  // bench coap runs at a tiny size in CoapBenchmarkTest, which also checks its pairs; bench sync
  // in SyncBenchmarkTest, beside its rsync daemon

  @Test
  void failover_oneRound_losesNothingAndReachesTheSecondary() throws Exception {
    final Stdout.Printed<List<FailoverBenchmark.Round>> run =
        Stdout.capture(() -> FailoverBenchmark.run(1, false));

    assertThat(run.value())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.lost()).isZero();
              assertThat(r.ok()).isPositive();
              assertThat(r.killToSecondaryMs()).isNotNaN();
            });
    assertThat(run.text()).contains("kill to first answer from the secondary: median");
  }
}
