package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.process.AgentProcess;
import io.troupe.proto.v1.IdentityRole;
import java.io.File;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A third-party MQTT 5 client, {@code mosquitto_rr}, calls a Troupe service with nothing but
 * standard request/response. Skipped where the binary is missing, except under CI, which installs
 * it and must run this. On the shared gateway ({@link SharedGateway}): every identity, client id
 * and community starts with {@code rr-}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MosquittoRrInteropIT {

  private static GatewayFixture gw;
  private static AgentProcess agent;
  private static String password;

  @BeforeAll
  static void start() throws Exception {
    final boolean present = onPath("mosquitto_rr");
    if (!"true".equalsIgnoreCase(System.getenv("CI"))) {
      Assumptions.assumeTrue(
          present, "mosquitto_rr is not installed (apt-get install mosquitto-clients)");
    }
    assertThat(present)
        .as("CI must have mosquitto_rr (.ci/run installs mosquitto-clients)")
        .isTrue();
    gw = SharedGateway.fixture();
    final String device = gw.addIdentity("rr-dev", IdentityRole.DEVICE);
    password = gw.addIdentity("rr-user", IdentityRole.CONSUMER);
    agent = AgentProcess.echo(gw.port(), "rr-dev", device, "rr-interop", "echo");
    await().atMost(Duration.ofSeconds(30)).until(() -> agent.serving() || !agent.alive());
    assertThat(agent.serving()).as(agent.log()).isTrue();
  }

  @AfterAll
  static void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
  }

  static boolean onPath(final String binary) {
    for (final String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (new File(dir, binary).canExecute()) {
        return true;
      }
    }
    return false;
  }

  private static String rr(
      final String clientId, final String topic, final String responseTopic, final String body)
      throws Exception {
    return MosquittoRr.call(gw.port(), "rr-user", password, clientId, topic, responseTopic, body);
  }

  @Test
  void mosquittoRr_callsTheService_andGetsTheAnswerWithStatus() throws Exception {
    final String out =
        rr(
            "rr-client",
            "troupe/s/echo.rr-interop",
            "troupe/r/rr-client/resp",
            "hello from mosquitto");
    assertThat(out).startsWith("hello from mosquitto|");
    assertThat(out).contains("status:200").contains("server:rr-dev");
  }

  @Test
  void mosquittoRr_unknownAddress_gets404() throws Exception {
    final String out =
        rr("rr-client2", "troupe/s/nothing.rr-interop", "troupe/r/rr-client2/resp", "x");
    assertThat(out).contains("status:404");
  }
}
