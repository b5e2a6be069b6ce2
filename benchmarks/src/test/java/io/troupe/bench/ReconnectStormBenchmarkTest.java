package io.troupe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The reconnect storm at a tiny size, so that the build keeps the benchmark working. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReconnectStormBenchmarkTest {

  @Test
  void storm_ofTwentyDevicesAndFiveConsumers_isAllAccepted() throws Exception {
    final ReconnectStormBenchmark.Result r = ReconnectStormBenchmark.run(20, 5);
    assertThat(r.refused()).isZero();
    assertThat(r.devices()).isEqualTo(20);
  }
}
