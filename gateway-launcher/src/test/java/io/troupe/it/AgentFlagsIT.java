package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.process.AgentProcess;
import io.troupe.proto.v1.BrowseServices;
import io.troupe.proto.v1.DecisionRecord;
import io.troupe.proto.v1.ExplainDecisions;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.NetworkType;
import io.troupe.proto.v1.ServiceInfo;
import io.troupe.proto.v1.StatusMessage;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code troupe agent}'s flags for what the API can say of a server, taking effect at the shared
 * gateway: {@code --installable} (the catalogue lists the service), {@code --anonymity} (consumers
 * are not told the server), {@code --area-role} (consumers of that area are served by it first),
 * {@code --passive} (registered passive), and the criteria {@code --window}, {@code --serve-area},
 * {@code --area}, {@code --worst-network}, {@code --min-battery} (reported in the status; a server
 * outside its window is skipped). A member serves a service its owner made installable (its
 * descriptor must agree with the owner's choice). Four agent processes in community {@code afl}:
 * the owner first, then the others at once.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AgentFlagsIT {

  private static GatewayFixture gw;
  private static MqttTestClient consumer;
  private static String consumerPassword;
  private static final List<AgentProcess> agents = new ArrayList<>();
  private static AgentProcess owner;
  private static AgentProcess areaRole;
  private static AgentProcess passive;
  private static AgentProcess outOfHours;

  /** A UTC window that starts three hours from now: now is outside it. */
  private static final String WINDOW;

  static {
    final LocalTime later = LocalTime.now(ZoneOffset.UTC).plusHours(3);
    WINDOW =
        String.format(
            "%02d:%02d-%02d:%02d",
            later.getHour(), later.getMinute(), later.plusHours(1).getHour(), later.getMinute());
  }

  private static AgentProcess agent(final String id, final String... args) throws Exception {
    final List<String> all =
        new ArrayList<>(
            List.of(
                "agent",
                "--port",
                Integer.toString(gw.port()),
                "--status-interval",
                "1s",
                "--id",
                id,
                "--community",
                "afl",
                "--echo"));
    all.addAll(List.of(args));
    final AgentProcess agent =
        AgentProcess.start(all, Map.of("TROUPE_PASSWORD", gw.addIdentity(id, IdentityRole.DEVICE)));
    agents.add(agent);
    return agent;
  }

  @BeforeAll
  static void start() throws Exception {
    gw = SharedGateway.fixture();
    consumerPassword = gw.addIdentity("afl-user", IdentityRole.CONSUMER);
    consumer = MqttTestClient.connect(gw.port(), "afl-user-1", "afl-user", consumerPassword);
    assertThat(consumer.subscribe("troupe/r/afl-user-1/#")).isLessThan(0x80);
    owner =
        agent(
            "afl-own",
            "--member",
            "afl-area",
            "--member",
            "afl-pas",
            "--member",
            "afl-win",
            "--service",
            "echo",
            "--service",
            "roles",
            "--installable",
            "--anonymity",
            "anonymous_to_consumers",
            "--area-role",
            "office=secondary");
    owner.awaitServing(Duration.ofSeconds(30)); // it creates the community the others join
    areaRole = agent("afl-area", "--service", "roles", "--area-role", "office=primary");
    passive = agent("afl-pas", "--service", "local", "--passive");
    outOfHours =
        agent(
            "afl-win",
            "--service",
            "late",
            "--window",
            WINDOW,
            "--serve-area",
            "office",
            "--area",
            "office",
            "--worst-network",
            "wlan",
            "--min-battery",
            "50",
            "--network",
            "lan",
            "--battery",
            "80");
    for (final AgentProcess a : List.of(areaRole, passive, outOfHours)) {
      a.awaitServing(Duration.ofSeconds(30));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (final AgentProcess a : agents) {
      a.close();
    }
    consumer.close();
  }

  @Test
  void installable_theCatalogueListsTheOwnersService() throws Exception {
    final List<String> listed =
        gw
            .api(
                GatewayRequest.newBuilder()
                    .setBrowseServices(BrowseServices.newBuilder().setCatalogue(true))
                    .build())
            .getBrowse()
            .getCatalogueList()
            .stream()
            .map(ServiceInfo::getAddress)
            .toList();
    assertThat(listed).contains("echo.afl", "roles.afl");
  }

  @Test
  void anonymity_consumersAreNotToldTheServer() throws Exception {
    final MqttTestClient.Answer answer = consumer.call("echo.afl", "who?");
    assertThat(answer.properties()).containsEntry("status", "200").doesNotContainKey("server");
  }

  @Test
  void areaRole_consumersInThatAreaAreServedByIt_othersByThePrimary() throws Exception {
    // given: afl-own is the primary of roles.afl, afl-area a secondary that is primary in the
    // office
    final MqttTestClient.Answer office =
        consumer
            .request(
                "troupe/s/roles.afl",
                "from the office",
                "troupe/r/afl-user-1/a",
                Map.of("area", "office"),
                null)
            .answer()
            .get(20, TimeUnit.SECONDS);
    // (another client: the gateway keeps a client with the server it was given last)
    final MqttTestClient.Answer elsewhere;
    try (MqttTestClient home =
        MqttTestClient.connect(gw.port(), "afl-user-2", "afl-user", consumerPassword)) {
      assertThat(home.subscribe("troupe/r/afl-user-2/#")).isLessThan(0x80);
      elsewhere = home.call("roles.afl", "from home");
    }
    assertThat(office.properties()).containsEntry("status", "200");
    assertThat(elsewhere.properties()).containsEntry("status", "200");
    // then: the gateway chose afl-area for the office and the primary otherwise (the primary is
    // anonymous to consumers, so the answers do not say; the decisions do)
    final List<DecisionRecord> decisions = decisions("roles.afl");
    assertThat(decisions.subList(decisions.size() - 2, decisions.size()))
        .as("decisions %s; the owner said %s", decisions, owner.output())
        .extracting(DecisionRecord::getServer)
        .containsExactly("afl-area", "afl-own");
  }

  private static List<DecisionRecord> decisions(final String address) throws Exception {
    return gw.api(
            GatewayRequest.newBuilder()
                .setExplainDecisions(ExplainDecisions.newBuilder().setAddress(address))
                .build())
        .getDecisions()
        .getDecisionsList();
  }

  @Test
  void passive_registersAsAPassiveServer() {
    assertThat(passive.output()).contains("serving local.afl as PASSIVE (device afl-pas)");
  }

  @Test
  void criteria_areReported_andAServerOutsideItsWindowIsSkipped() throws Exception {
    // the status the gateway keeps says every criterion and the device's area
    try (MqttTestClient admin =
        MqttTestClient.connect(gw.port(), "afl-admin-1", "admin", gw.adminPassword())) {
      admin.subscribe("troupe/c/afl/status/afl-win");
      final StatusMessage status =
          StatusMessage.parseFrom(admin.received.poll(10, TimeUnit.SECONDS).body());
      assertThat(status.getMetrics().getLocation().getArea()).isEqualTo("office");
      assertThat(status.getCriteria().getAreasList()).containsExactly("office");
      assertThat(status.getCriteria().getWorstNetwork()).isEqualTo(NetworkType.WLAN);
      assertThat(status.getCriteria().getMinBatteryPercent()).isEqualTo(50);
      assertThat(status.getCriteria().getWindowsList()).hasSize(1);
      assertThat(status.getMetrics().getNetworkType()).isEqualTo(NetworkType.LAN);
      assertThat(status.getMetrics().getBatteryPercent()).isEqualTo(80);
    }
    // and routing honours the window: its only server is skipped for it
    assertThat(consumer.call("late.afl", "now?").properties().get("status")).isNotEqualTo("200");
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () ->
                assertThat(decisions("late.afl"))
                    .flatExtracting(DecisionRecord::getSkippedList)
                    .anySatisfy(
                        s -> {
                          assertThat(s.getServer()).isEqualTo("afl-win");
                          assertThat(s.getReason()).contains("outside its time windows");
                        }));
  }
}
