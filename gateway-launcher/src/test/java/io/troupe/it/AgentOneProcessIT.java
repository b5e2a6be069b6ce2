package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.process.AgentProcess;
import io.troupe.proto.v1.IdentityRole;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13, bug 2: one {@code troupe agent} process serves several services in several communities;
 * a second agent process for the same device on this machine stops at start instead of taking the
 * session over, and an agent whose session another client takes over stops with one line instead of
 * taking it back in a loop. Real agent processes on the shared gateway; everything here is named
 * {@code aop-}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AgentOneProcessIT {

  private static GatewayFixture gw;
  private static MqttTestClient consumer;

  @BeforeAll
  static void start() throws Exception {
    gw = SharedGateway.fixture();
    consumer =
        MqttTestClient.connect(
            gw.port(), "aop-user-1", "aop-user", gw.addIdentity("aop-user", IdentityRole.CONSUMER));
    assertThat(consumer.subscribe("troupe/r/aop-user-1/#")).isLessThan(0x80);
  }

  @AfterAll
  static void stop() {
    consumer.close();
  }

  private static AgentProcess agent(final String password, final String... args) throws Exception {
    final List<String> all =
        new java.util.ArrayList<>(
            List.of("agent", "--port", Integer.toString(gw.port()), "--status-interval", "1s"));
    all.addAll(List.of(args));
    return AgentProcess.start(all, Map.of("TROUPE_PASSWORD", password));
  }

  private static long servingLines(final AgentProcess agent) {
    return agent.output().stream().filter(l -> l.startsWith("serving ")).count();
  }

  @Test
  void oneAgent_servesTwoServicesInTwoCommunities_givenInAnyCase() throws Exception {
    final String pw = gw.addIdentity("aop-dev1", IdentityRole.DEVICE);
    try (AgentProcess agent =
        agent(
            pw,
            "--id",
            "aop-dev1",
            "--community",
            "AOP-One",
            "--community",
            "aop-two",
            "--service",
            "Echo",
            "--service",
            "notes@aop-two",
            "--echo")) {
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                if (!agent.alive()) {
                  throw new AssertionError("the agent ended:\n" + agent.log());
                }
                return servingLines(agent) == 3;
              });
      assertThat(agent.output())
          .contains(
              "serving echo.aop-one as PRIMARY (device aop-dev1)",
              "serving echo.aop-two as PRIMARY (device aop-dev1)",
              "serving notes.aop-two as PRIMARY (device aop-dev1)");
      for (final String address : List.of("echo.aop-one", "echo.aop-two", "notes.aop-two")) {
        final MqttTestClient.Answer answer = consumer.call(address, "to " + address);
        assertThat(answer.properties()).containsEntry("status", "200");
        assertThat(answer.properties()).containsEntry("server", "aop-dev1");
        assertThat(new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8))
            .isEqualTo("to " + address);
      }
      // notes is pinned to aop-two: nothing serves it in aop-one
      assertThat(consumer.call("notes.aop-one", "x").properties().get("status"))
          .isNotEqualTo("200");
    }
  }

  @Test
  void secondAgentForTheSameDevice_exits1AtStart_whileTheFirstKeepsServing() throws Exception {
    final String pw = gw.addIdentity("aop-dev2", IdentityRole.DEVICE);
    try (AgentProcess first =
            agent(
                pw, "--id", "aop-dev2", "--community", "aop-lock", "--service", "echo", "--echo");
        AgentProcess second = startWhenFirstServes(first, pw)) {
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> second.exitCode().isPresent());
      assertThat(second.exitCode()).hasValue(1);
      assertThat(second.output())
          .anySatisfy(
              l ->
                  assertThat(l)
                      .startsWith("troupe: another agent for device aop-dev2 at 127.0.0.1:")
                      .contains("(pid " + first.pid() + ")")
                      .contains("troupe-agent-127.0.0.1-" + gw.port() + "-aop-dev2.lock"));
      assertThat(second.serving()).isFalse();
      assertThat(first.alive()).isTrue();
      assertThat(consumer.call("echo.aop-lock", "still one").properties())
          .containsEntry("status", "200")
          .containsEntry("server", "aop-dev2");
    }
  }

  private static AgentProcess startWhenFirstServes(final AgentProcess first, final String pw)
      throws Exception {
    first.awaitServing(Duration.ofSeconds(30));
    return agent(pw, "--id", "aop-dev2", "--community", "aop-lock", "--service", "echo", "--echo");
  }

  @Test
  void sessionTakenOverByAnotherClient_agentStopsWithOneLine_insteadOfTakingItBack()
      throws Exception {
    final String pw = gw.addIdentity("aop-dev3", IdentityRole.DEVICE);
    try (AgentProcess agent =
        agent(pw, "--id", "aop-dev3", "--community", "aop-taken", "--service", "echo", "--echo")) {
      agent.awaitServing(Duration.ofSeconds(30));
      // given: another client, elsewhere, connects with the device's id
      try (MqttTestClient other = MqttTestClient.connect(gw.port(), "aop-dev3", "aop-dev3", pw)) {
        // then: the agent stops, saying why, and the newcomer keeps its session
        await()
            .atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> agent.exitCode().isPresent());
        assertThat(agent.exitCode()).hasValue(1);
        assertThat(agent.output())
            .anySatisfy(
                l ->
                    assertThat(l)
                        .startsWith("troupe: another connection with device id aop-dev3 took")
                        .endsWith("; stopped"));
        assertThat(other.disconnected).isFalse();
      }
    }
  }
}
