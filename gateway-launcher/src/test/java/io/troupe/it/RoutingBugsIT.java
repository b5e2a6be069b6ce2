package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.api.ServiceResponse;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.process.AgentProcess;
import io.troupe.proto.v1.AssignRoles;
import io.troupe.proto.v1.AvailabilityCriteria;
import io.troupe.proto.v1.CreateCommunity;
import io.troupe.proto.v1.DecisionRecord;
import io.troupe.proto.v1.DistributionList;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.ExplainDecisions;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.LoadRow;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.SetDistributionRule;
import io.troupe.proto.v1.ShowTable;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.TimeWindow;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The routing bugs of issue 13 a new user hit, on the shared gateway (everything here is named
 * {@code rb-...}): a rule patch and the end of a redirect (bug 3), the table's counts per service
 * (4), {@code why} after the primary dies (5), the volunteer under SECONDARY_FIRST (6), unmet
 * criteria, the consumer's area and the list's version (7), and names in any case (10).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RoutingBugsIT {

  private static GatewayFixture gw;
  private static final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
  private static MqttTestClient alice;

  @BeforeAll
  static void start() throws Exception {
    gw = SharedGateway.fixture();
    final String alicePassword = gw.addIdentity("rb-alice", IdentityRole.CONSUMER);
    alice = MqttTestClient.connect(gw.port(), "rb-alice-1", "rb-alice", alicePassword);
    alice.subscribe("troupe/r/rb-alice-1/#");
    open.add(alice);
  }

  @AfterAll
  static void stop() throws Exception {
    for (final AutoCloseable c : open) {
      c.close();
    }
  }

  /** A started agent for a new device {@code id} serving {@code services} in {@code community}. */
  private static TroupeAgent agent(
      final String id,
      final String community,
      final AvailabilityCriteria criteria,
      final String... services)
      throws Exception {
    final var builder =
        TroupeAgent.builder()
            .port(gw.port())
            .deviceId(id)
            .password(gw.addIdentity(id, IdentityRole.DEVICE))
            .community(community)
            .criteria(criteria)
            .statusInterval(Duration.ofMillis(500));
    for (final String service : services) {
      builder.service(
          service,
          request ->
              CompletableFuture.completedFuture(
                  service.equals("shop")
                      ? ServiceResponse.error(503, "closed")
                      : ServiceResponse.ok(id.getBytes(StandardCharsets.UTF_8), "text/plain")));
    }
    final TroupeAgent agent = builder.build();
    open.add(agent);
    agent.startBlocking();
    return agent;
  }

  private static TroupeAgent agent(final String id, final String community, final String service)
      throws Exception {
    return agent(id, community, AvailabilityCriteria.getDefaultInstance(), service);
  }

  /** Adds {@code member} to {@code community} as admin. */
  private static void admit(final String community, final String member) throws Exception {
    final GatewayResponse r =
        gw.api(
            GatewayRequest.newBuilder()
                .setUpdateCommunity(
                    io.troupe.proto.v1.UpdateCommunity.newBuilder()
                        .setCommunity(community)
                        .addAddMembers(member))
                .build());
    assertThat(r.getStatus()).as(r.getReason()).isEqualTo(200);
  }

  private static GatewayResponse rule(final SetDistributionRule.Builder op) throws Exception {
    return gw.api(GatewayRequest.newBuilder().setSetDistributionRule(op).build());
  }

  private static GatewayResponse table(final String address) throws Exception {
    return gw.api(
        GatewayRequest.newBuilder()
            .setShowTable(ShowTable.newBuilder().setAddress(address))
            .build());
  }

  private static LoadRow row(final String address, final String server) throws Exception {
    return table(address).getTable().getServersList().stream()
        .filter(r -> r.getServer().equals(server))
        .findFirst()
        .orElseThrow();
  }

  private static DecisionRecord lastDecision(final String address) throws Exception {
    final var decisions =
        gw.api(
                GatewayRequest.newBuilder()
                    .setExplainDecisions(ExplainDecisions.newBuilder().setAddress(address))
                    .build())
            .getDecisions();
    return decisions.getDecisions(decisions.getDecisionsCount() - 1);
  }

  private static MqttTestClient.Answer call(final String address, final Map<String, String> props)
      throws Exception {
    return alice
        .request("troupe/s/" + address, "hi", "troupe/r/rb-alice-1/resp", props, null)
        .answer()
        .get(15, TimeUnit.SECONDS);
  }

  @Test
  void rule_patchKeepsTheOrder_endRedirectEndsIt_andTheAnswerCarriesTheRule() throws Exception {
    agent("rb-r1", "rb-rule", "echo");
    admit("rb-rule", "rb-r2");
    agent("rb-r2", "rb-rule", "echo");
    final SetDistributionRule.Builder op =
        SetDistributionRule.newBuilder().setAddress("echo.rb-rule").setPatch(true);
    rule(op.clone().setRule(DistributionRule.newBuilder().setOrder(RequestOrder.LEAST_LOADED)));

    final GatewayResponse redirected =
        rule(op.clone().setRule(DistributionRule.newBuilder().setRedirectTo("rb-r2")));
    final GatewayResponse ended = rule(op.clone().setEndRedirect(true));

    assertThat(redirected.getStatus()).as(redirected.getReason()).isEqualTo(200);
    assertThat(redirected.getService().getRule().getOrder()).isEqualTo(RequestOrder.LEAST_LOADED);
    assertThat(redirected.getService().getRule().getRedirectTo()).isEqualTo("rb-r2");
    assertThat(ended.getStatus()).as(ended.getReason()).isEqualTo(200);
    assertThat(ended.getService().getRule().getRedirectTo()).isEmpty();
    assertThat(ended.getService().getRule().getOrder()).isEqualTo(RequestOrder.LEAST_LOADED);
  }

  @Test
  void volunteer_underSecondaryFirst_neverServesWhileThePrimaryIsUp_andWhyTellsWhy()
      throws Exception {
    // given: rb-p the primary of echo.rb-vol, rb-v its volunteer, SECONDARY_FIRST
    agent("rb-p", "rb-vol", "echo");
    admit("rb-vol", "rb-v");
    final GatewayResponse assigned =
        gw.api(
            GatewayRequest.newBuilder()
                .setAssignRoles(
                    AssignRoles.newBuilder()
                        .setCommunity("rb-vol")
                        .setService("echo")
                        .putRoles("rb-v", ServerRole.VOLUNTEER))
                .build());
    assertThat(assigned.getStatus()).as(assigned.getReason()).isEqualTo(200);
    agent("rb-v", "rb-vol", "echo");
    rule(
        SetDistributionRule.newBuilder()
            .setAddress("echo.rb-vol")
            .setPatch(true)
            .setRule(DistributionRule.newBuilder().setOrder(RequestOrder.SECONDARY_FIRST)));
    await()
        .pollInterval(Duration.ofMillis(50))
        .atMost(Duration.ofSeconds(10))
        .until(() -> row("echo.rb-vol", "rb-v").getStatusAgeMs() >= 0);

    // when / then: the primary serves every call, in any area
    for (int i = 0; i < 5; i++) {
      assertThat(call("echo.rb-vol", Map.of("area", "helsinki")).properties())
          .containsEntry("server", "rb-p");
    }
    final DecisionRecord d = lastDecision("echo.rb-vol");
    assertThat(d.getArea()).isEqualTo("helsinki");
    assertThat(d.getSkippedList())
        .anySatisfy(
            s -> {
              assertThat(s.getServer()).isEqualTo("rb-v");
              assertThat(s.getReason()).contains("volunteer");
            });
  }

  @Test
  void table_failedCallsToAnotherService_doNotRaiseThisOnesFailed() throws Exception {
    // given: rb-t serves echo.rb-tab, and shop.rb-tab, which answers 503
    agent("rb-t", "rb-tab", AvailabilityCriteria.getDefaultInstance(), "echo", "shop");

    // when
    assertThat(call("shop.rb-tab", Map.of()).status()).isEqualTo(503);
    assertThat(call("echo.rb-tab", Map.of()).status()).isEqualTo(200);

    // then
    assertThat(row("shop.rb-tab", "rb-t").getFailed()).isEqualTo(1);
    assertThat(row("echo.rb-tab", "rb-t").getFailed()).isZero();
    assertThat(row("echo.rb-tab", "rb-t").getServed()).isEqualTo(1);
  }

  @Test
  void why_afterThePrimaryDies_namesItSkippedOffline() throws Exception {
    // given: the primary is a real agent process, so that it can die as a kill -9 kills it: no
    // DISCONNECT, no deregistration, only the TCP connection closed by the kernel
    try (AgentProcess primary =
        AgentProcess.echo(
            gw.port(),
            "rb-k1",
            gw.addIdentity("rb-k1", IdentityRole.DEVICE),
            "rb-kill",
            "echo",
            "rb-k2")) {
      primary.awaitServing(Duration.ofSeconds(30));
      agent("rb-k2", "rb-kill", "echo");
      assertThat(call("echo.rb-kill", Map.of()).properties()).containsEntry("server", "rb-k1");

      // when
      primary.kill();

      // then: once the gateway has seen the connection go, a call is answered by rb-k2 at the
      // first attempt, and why names rb-k1 skipped as offline (not only "already tried")
      await()
          .pollInterval(Duration.ofMillis(50))
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  "rb-k2".equals(call("echo.rb-kill", Map.of()).properties().get("server"))
                      && lastDecision("echo.rb-kill").getAttempt() == 1);
      final DecisionRecord d = lastDecision("echo.rb-kill");
      assertThat(d.getServer()).isEqualTo("rb-k2");
      assertThat(d.getRule()).isEqualTo("PRIMARY_FIRST");
      assertThat(d.getSkippedList())
          .anySatisfy(
              s -> {
                assertThat(s.getServer()).isEqualTo("rb-k1");
                assertThat(s.getReason()).isEqualTo("offline");
              });
    }
  }

  @Test
  void table_serverOutsideItsWindow_saysSo_andTheListHasAVersion() throws Exception {
    // given: rb-w serves only in an hour that is not now, UTC
    final int hour = ZonedDateTime.now(ZoneOffset.UTC).plusHours(2).getHour();
    final AvailabilityCriteria elsewhen =
        AvailabilityCriteria.newBuilder()
            .addWindows(
                TimeWindow.newBuilder().setStartMinute(hour * 60).setEndMinute(hour * 60 + 60))
            .build();
    agent("rb-w", "rb-win", elsewhen, "echo");
    try (MqttTestClient admin =
        MqttTestClient.connect(gw.port(), "rb-admin", "admin", gw.adminPassword())) {
      admin.subscribe("troupe/c/rb-win/svc/echo/servers");

      // then
      final MqttTestClient.Answer list = admin.received.poll(10, TimeUnit.SECONDS);
      assertThat(list).isNotNull();
      assertThat(DistributionList.parseFrom(list.body()).getVersion()).isPositive();
    }
    await()
        .pollInterval(Duration.ofMillis(50))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(row("echo.rb-win", "rb-w").getCriteriaUnmet())
                    .isEqualTo("outside its time windows"));
  }

  @Test
  void names_inAnyCase_areTheLowerCaseOnes() throws Exception {
    // given: rb-u serves echo.rb-up; rb-u2, allowed in, joins and reports with raw MQTT
    agent("rb-u", "rb-up", "echo");
    admit("rb-up", "rb-u2");
    final String password = gw.addIdentity("rb-u2", IdentityRole.DEVICE);

    // when / then: a request, the table and a new community in upper case
    assertThat(call("ECHO.RB-UP", Map.of()).status()).isEqualTo(200);
    assertThat(table("Echo.Rb-Up").getTable().getAddress()).isEqualTo("echo.rb-up");
    final GatewayResponse created =
        gw.api(
            GatewayRequest.newBuilder()
                .setCreateCommunity(CreateCommunity.newBuilder().setName("RB-CASE"))
                .build());
    assertThat(created.getStatus()).as(created.getReason()).isIn(200, 201);
    assertThat(created.getCommunity().getName()).isEqualTo("rb-case");

    // and: a status under the upper-case community lands on the lower-case topic
    try (MqttTestClient admin =
            MqttTestClient.connect(gw.port(), "rb-admin-2", "admin", gw.adminPassword());
        MqttTestClient device = MqttTestClient.connect(gw.port(), "rb-u2", "rb-u2", password)) {
      admin.subscribe("troupe/c/rb-up/status/rb-u2");
      device.subscribe("troupe/r/rb-u2/#");
      final byte[] join =
          GatewayRequest.newBuilder()
              .setJoinCommunity(JoinCommunity.newBuilder().setCommunity("RB-UP"))
              .build()
              .toByteArray();
      final GatewayResponse joined =
          GatewayResponse.parseFrom(
              device
                  .requestBytes("troupe/gw/api", join, "troupe/r/rb-u2/api")
                  .get(10, TimeUnit.SECONDS)
                  .body());
      assertThat(joined.getStatus()).as(joined.getReason()).isIn(200, 201);
      final byte[] status =
          StatusMessage.newBuilder()
              .setDeviceId("rb-u2")
              .setAvailability(io.troupe.proto.v1.Availability.AVAILABLE)
              .build()
              .toByteArray();
      assertThat(device.publish("troupe/c/rb-up/status/rb-u2", status, true))
          .as("lower")
          .isLessThan(0x80);
      assertThat(device.publish("troupe/c/RB-UP/status/rb-u2", status, true)).isLessThan(0x80);
      final MqttTestClient.Answer got = admin.received.poll(10, TimeUnit.SECONDS);
      assertThat(got).isNotNull();
      assertThat(got.topic()).isEqualTo("troupe/c/rb-up/status/rb-u2");
    }
  }
}
