package io.troupe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.launcher.EmbeddedGateway;
import io.troupe.proto.v1.IdentityRole;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A call answered quickly but refused is not a served call, on a real gateway. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequesterTest {

  @Test
  void serve_answeredWithoutAServer_countsAsFailedByStatus() throws Exception {
    try (EmbeddedGateway gateway =
        BenchSupport.gateway("<troupe><coap><enabled>false</enabled></coap></troupe>")) {
      final int port = gateway.port();
      gateway.start();
      final String password =
          BenchSupport.identities(gateway, port, Map.of("bench-consumer", IdentityRole.CONSUMER))
              .get("bench-consumer");
      // given a consumer calling an address nobody serves: the gateway answers at once, not 2xx
      try (Requester consumer =
          new Requester(
              BenchSupport.connect(port, "bench-consumer-1", "bench-consumer", password),
              "troupe/s/echo.nowhere",
              "troupe/r/bench-consumer-1/resp")) {

        // when a run calls it
        final LoadRun.Result r = LoadRun.run("routed", 4, 20, () -> consumer.serve(new byte[] {1}));

        // then no call is served, and the failures are counted by the status the gateway gave
        assertThat(r.failures()).isEqualTo(20);
        assertThat(r.failuresByKind().keySet()).singleElement().asString().startsWith("status 4");
        assertThat(BenchReport.summary(List.of(r))).startsWith("FAILED: 20 of 20 calls not served");
      }
    }
  }
}
