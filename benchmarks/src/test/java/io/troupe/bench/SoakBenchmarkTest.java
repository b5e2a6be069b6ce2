package io.troupe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./troupe bench soak} at a tiny size: a class of its own, since it starts a gateway for
 * each side and the benchmarks' test JVMs take classes in turn.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SoakBenchmarkTest {

  @Test
  void soak_tiny_comparesColdWithColdAndWarmWithWarm() throws Exception {
    final Stdout.Printed<SoakBenchmark.Outcome> run =
        Stdout.capture(() -> SoakBenchmark.run(4, 1, 1));

    assertThat(run.value().routed()).hasSize(1);
    assertThat(run.value().direct()).hasSize(1);
    assertThat(run.value().runs())
        .extracting(Soak.Result::path)
        .containsExactly("routed cold", "routed warm", "direct cold", "direct warm");
    assertThat(run.value().runs())
        .allSatisfy(
            r -> {
              assertThat(r.answered()).isEqualTo(r.sent()).isPositive();
              assertThat(r.lost()).isZero();
            });
    assertThat(run.text())
        .contains("every call served")
        .contains("routed/direct, cold with cold: p50 median")
        .contains("routed/direct, warm with warm: p50 median");
  }
}
