package io.troupe.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.bench.Stdout;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code ./troupe bench jmh} and {@code ./troupe bench jmh cpu} at a tiny size: one fork-less,
 * short iteration of every benchmark method at 10 servers, so that none breaks unseen.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JmhTinyTest {

  @Test
  void everyBenchmarkMethod_runsOneIteration_andScores() throws Exception {
    final Collection<RunResult> results =
        new Runner(
                new OptionsBuilder()
                    .include("io\\.troupe\\.bench\\.jmh\\..*")
                    .forks(0)
                    .warmupIterations(0)
                    .measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(20))
                    .param("servers", "10")
                    .param("layout", "ONE_SERVICE")
                    .build())
            .run();

    assertThat(
            results.stream()
                .map(r -> r.getParams().getBenchmark().replace("io.troupe.bench.jmh.", ""))
                .distinct())
        .containsExactlyInAnyOrder(
            "DecisionBench.routeAndAnswer",
            "WorstCaseDecisionBench.routeAndAnswer",
            "StatusIngestBench.steady",
            "StatusIngestBench.flapping",
            "PahoReceiveBench.pahoDecode",
            "PahoReceiveBench.copy");
    // the worst case runs for each way of being unusable, under both rules
    assertThat(
            results.stream()
                .filter(
                    r ->
                        r.getParams()
                            .getBenchmark()
                            .endsWith("WorstCaseDecisionBench.routeAndAnswer")))
        .hasSize(6);
    assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
  }

  @Test
  void pahoDecode_givesBackThePayloadItWasGiven() throws Exception {
    final PahoReceiveBench bench = new PahoReceiveBench();
    bench.bytes = 1000;
    bench.setUp();

    final org.eclipse.paho.mqttv5.common.packet.MqttPublish decoded =
        (org.eclipse.paho.mqttv5.common.packet.MqttPublish) bench.pahoDecode();

    assertThat(decoded.getMessage().getPayload()).hasSize(1000);
    assertThat(bench.copy()).hasSize(bench.packetBytes());
  }

  @Test
  void worstCase_routesPastTheUnusableServers_toTheLastTenth() {
    for (final RouterWorld.Unusable how : RouterWorld.Unusable.values()) {
      final WorstCaseDecisionBench bench = new WorstCaseDecisionBench();
      bench.servers = 10;
      bench.unusable = how;
      bench.order = io.troupe.proto.v1.RequestOrder.PRIMARY_FIRST;
      bench.setUp();
      // d0..d8 cannot serve: every request goes to d9
      assertThat(bench.routeAndAnswer()).as(how.name()).isNotNull();
      assertThat(bench.lastServer()).as(how.name()).isEqualTo("d9");
    }
  }

  @Test
  void cpu_tiny_measuresEveryLayoutAndRule() throws Exception {
    final String printed =
        Stdout.capture(
                () -> {
                  CpuScaling.run(1, new int[] {10, 100}, 5_000_000L, 100);
                  return null;
                })
            .text();

    assertThat(printed.lines().filter(l -> l.startsWith("decision ")))
        .hasSize(4)
        .allSatisfy(l -> assertThat(l).contains("100/10: median"));
    assertThat(printed.lines().filter(l -> l.startsWith("status ingest, 100 servers"))).hasSize(2);
  }
}
