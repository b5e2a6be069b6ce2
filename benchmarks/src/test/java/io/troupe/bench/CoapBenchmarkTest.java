package io.troupe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The CoAP benchmark at a tiny size, so that the build keeps it working. Skipped where libcoap's
 * {@code coap-server-notls} is missing, except under CI, which installs it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CoapBenchmarkTest {

  @Test
  void coap_ofFiftyRequestsInTwoRounds_servesEveryCallOnEachPath() throws Exception {
    if (!"true".equalsIgnoreCase(System.getenv("CI"))) {
      Assumptions.assumeTrue(
          CoapProxy.installed(), "the proxy baseline needs libcoap3-bin (coap-server-notls)");
    }
    final CoapBenchmark.Result r = CoapBenchmark.run(50, 2);
    assertThat(r.failures()).isZero();
    // two pairs, two sides, two numbers in flight, two rounds
    assertThat(r.runs()).hasSize(16);
    assertThat(r.ratios())
        .extracting(CoapBenchmark.Ratios::pair)
        .containsExactly(
            "bridge -> device / proxy -> device",
            "bridge -> device / proxy -> device",
            "bridge -> agent / MQTT -> agent",
            "bridge -> agent / MQTT -> agent");
    assertThat(r.ratios()).allSatisfy(x -> assertThat(x.throughputMedian()).isPositive());
  }
}
