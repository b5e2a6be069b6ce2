package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.process.AgentProcess;
import io.troupe.proto.v1.IdentityRole;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two real agents (the {@code troupe agent} command line, each in its own process) share {@code
 * echo.{community}}; a Paho consumer calls it while the primary dies, goes quiet or leaves. On the
 * shared gateway ({@link SharedGateway}): every identity, client id and community starts with
 * {@code fo-}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FailoverIT {

  private static GatewayFixture gw;
  private static String dev1;
  private static String dev2;
  private static MqttTestClient consumer;
  private AgentProcess primary;
  private AgentProcess secondary;

  @BeforeAll
  static void start() throws Exception {
    gw = SharedGateway.fixture();
    dev1 = gw.addIdentity("fo-dev1", IdentityRole.DEVICE);
    dev2 = gw.addIdentity("fo-dev2", IdentityRole.DEVICE);
    consumer =
        MqttTestClient.connect(
            gw.port(), "fo-alice-1", "fo-alice", gw.addIdentity("fo-alice", IdentityRole.CONSUMER));
    assertThat(consumer.subscribe("troupe/r/fo-alice-1/#")).isLessThan(0x80);
  }

  @AfterAll
  static void stop() throws Exception {
    consumer.close();
  }

  @AfterEach
  void stopAgents() throws InterruptedException {
    for (final AgentProcess agent : new AgentProcess[] {primary, secondary}) {
      if (agent != null) {
        agent.close();
      }
    }
  }

  /** Starts dev1 (primary), then dev2 (secondary), on {@code echo.{community}}. */
  private void twoAgents(final String community) throws IOException {
    primary = AgentProcess.echo(gw.port(), "fo-dev1", dev1, community, "echo", "fo-dev2");
    await().atMost(Duration.ofSeconds(30)).until(() -> primary.serving() || !primary.alive());
    assertThat(primary.serving()).as(primary.log()).isTrue();
    assertThat(primary.log()).contains("PRIMARY");
    secondary = AgentProcess.echo(gw.port(), "fo-dev2", dev2, community, "echo");
    await().atMost(Duration.ofSeconds(30)).until(() -> secondary.serving() || !secondary.alive());
    assertThat(secondary.serving()).as(secondary.log()).isTrue();
    assertThat(secondary.log()).contains("SECONDARY");
  }

  private static void signal(final AgentProcess agent, final String signal) throws Exception {
    new ProcessBuilder("kill", "-" + signal, Long.toString(agent.pid()))
        .inheritIO()
        .start()
        .waitFor(5, TimeUnit.SECONDS);
  }

  @Test
  void twoAgents_primaryAnswers() throws Exception {
    twoAgents("fo-demo");
    final MqttTestClient.Answer answer = consumer.call("echo.fo-demo", "hello");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text()).isEqualTo("hello");
    assertThat(answer.properties()).containsEntry("server", "fo-dev1");
  }

  @Test
  void primaryKilledAbruptly_secondaryAnswersWithoutWaitingForTheStatusTimeout() throws Exception {
    twoAgents("fo-kill");
    assertThat(consumer.call("echo.fo-kill", "before").properties())
        .containsEntry("server", "fo-dev1");

    primary.kill();
    final long start = System.nanoTime();
    final MqttTestClient.Answer answer = consumer.call("echo.fo-kill", "after");
    final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.text()).isEqualTo("after");
    assertThat(answer.properties()).containsEntry("server", "fo-dev2");
    assertThat(millis)
        .as("answered within the forward timeout")
        .isLessThan(GatewayFixture.FORWARD_TIMEOUT_MS * 2);
  }

  @Test
  void primaryDiesWithTheRequestInFlight_secondaryAnswersAtOnce() throws Exception {
    twoAgents("fo-inflight");
    signal(primary, "STOP");
    final long start = System.nanoTime();
    final MqttTestClient.Sent sent = consumer.request("echo.fo-inflight", "in flight");
    primary.kill();
    final MqttTestClient.Answer answer = sent.answer().get(10, TimeUnit.SECONDS);
    final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(answer.properties()).containsEntry("server", "fo-dev2");
    assertThat(answer.text()).isEqualTo("in flight");
    assertThat(millis)
        .as("failover on disconnect, not on the %d ms timeout", GatewayFixture.FORWARD_TIMEOUT_MS)
        .isLessThan(GatewayFixture.FORWARD_TIMEOUT_MS);
  }

  @Test
  void primaryGoesQuiet_secondaryAnswersAfterTheForwardTimeout() throws Exception {
    twoAgents("fo-quiet");
    signal(primary, "STOP");
    try {
      final long start = System.nanoTime();
      final MqttTestClient.Answer answer = consumer.call("echo.fo-quiet", "anyone?");
      final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.properties()).containsEntry("server", "fo-dev2");
      assertThat(millis).isGreaterThanOrEqualTo(GatewayFixture.FORWARD_TIMEOUT_MS - 50);
      // the quiet primary is suspected: the next call goes straight to the secondary
      final long next = System.nanoTime();
      assertThat(consumer.call("echo.fo-quiet", "again").properties())
          .containsEntry("server", "fo-dev2");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - next))
          .isLessThan(GatewayFixture.FORWARD_TIMEOUT_MS);
    } finally {
      signal(primary, "CONT");
    }
  }

  @Test
  void primaryStopsCleanly_secondaryAnswersWellBeforeTheTimeout() throws Exception {
    twoAgents("fo-clean");
    primary.stop();
    assertThat(primary.alive()).isFalse();
    final long start = System.nanoTime();
    final MqttTestClient.Answer answer = consumer.call("echo.fo-clean", "still there?");
    final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(answer.properties()).containsEntry("server", "fo-dev2");
    assertThat(millis).isLessThan(GatewayFixture.FORWARD_TIMEOUT_MS / 2);
  }

  @Test
  void bothAgentsGone_consumerGets503() throws Exception {
    twoAgents("fo-gone");
    primary.kill();
    secondary.kill();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> consumer.call("echo.fo-gone", "x").status() == 503);
  }
}
