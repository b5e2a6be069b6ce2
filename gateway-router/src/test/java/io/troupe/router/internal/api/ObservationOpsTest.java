package io.troupe.router.internal.api;

import static io.troupe.router.RouterFixture.device;
import static io.troupe.router.RouterFixture.reply;
import static io.troupe.router.RouterFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.DecisionRecord;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.ExplainDecisions;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.LoadRow;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.NetworkType;
import io.troupe.proto.v1.ServerPresence;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.SetDistributionRule;
import io.troupe.proto.v1.ShowTable;
import io.troupe.proto.v1.SkippedServer;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.router.Decision;
import io.troupe.router.Principal;
import io.troupe.router.RouterFixture;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The load-balancing table and the last decisions ({@code troupe table}, {@code troupe why}): who
 * may look, what they see, and what an anonymous service hides.
 */
class ObservationOpsTest {

  private static final Principal ADMIN = new Principal("admin", IdentityRole.ADMIN, "admin");

  private RouterFixture f;

  @BeforeEach
  void echoWithTwoServersAndAnOutsider() {
    f = new RouterFixture();
    f.register("dev1", "demo", "echo");
    f.register("dev2", "demo", "echo");
    f.join("outsider", "other");
    f.online("dev1", "demo");
    f.online("dev2", "demo");
  }

  private GatewayResponse table(final Principal who, final String address) {
    return f.api(
        who,
        GatewayRequest.newBuilder()
            .setShowTable(ShowTable.newBuilder().setAddress(address))
            .build());
  }

  private GatewayResponse why(final Principal who, final String address) {
    return f.api(
        who,
        GatewayRequest.newBuilder()
            .setExplainDecisions(ExplainDecisions.newBuilder().setAddress(address))
            .build());
  }

  private LoadRow row(final GatewayResponse table, final String server) {
    return table.getTable().getServersList().stream()
        .filter(r -> r.getServer().equals(server))
        .findFirst()
        .orElseThrow();
  }

  private void setRule(final DistributionRule.Builder rule) {
    final GatewayResponse set =
        f.api(
            device("dev1"),
            GatewayRequest.newBuilder()
                .setSetDistributionRule(
                    SetDistributionRule.newBuilder().setAddress("echo.demo").setRule(rule))
                .build());
    assertThat(set.getStatus()).as(set.getReason()).isEqualTo(200);
  }

  @Test
  void table_member_seesEachServersStateLoadAndCounts() {
    // given: dev1 reports its metrics and takes a request
    f.status(
        "dev1",
        "demo",
        StatusMessage.newBuilder()
            .setDeviceId("dev1")
            .setAvailability(Availability.AVAILABLE)
            .setMetrics(
                Metrics.newBuilder()
                    .setLoad(0.25)
                    .setBatteryPercent(80)
                    .setNetworkType(NetworkType.WLAN)
                    .setMaxRequestsInProgress(4)
                    .setRequestsInProgress(1))
            .build());
    f.clock.advance(Duration.ofMillis(1_500));
    final Decision.Forward fw = (Decision.Forward) f.router.onRequest(request("echo.demo"));

    // when: dev2, a member, looks
    final GatewayResponse during = table(device("dev2"), "echo.demo");

    // then
    assertThat(during.getStatus()).isEqualTo(200);
    assertThat(during.getTable().getAddress()).isEqualTo("echo.demo");
    assertThat(during.getTable().getServersList())
        .extracting(LoadRow::getServer)
        .containsExactly("dev1", "dev2");
    final LoadRow dev1 = row(during, "dev1");
    assertThat(fw.device()).isEqualTo("dev1");
    assertThat(dev1.getRole()).isEqualTo(ServerRole.PRIMARY);
    assertThat(dev1.getEnabled()).isTrue();
    assertThat(dev1.getPresence()).isEqualTo(ServerPresence.PRESENCE_ALIVE);
    assertThat(dev1.getAvailability()).isEqualTo(Availability.AVAILABLE);
    assertThat(dev1.getInProgress()).isEqualTo(1);
    assertThat(dev1.getMaxInProgress()).isEqualTo(4);
    assertThat(dev1.getLoad()).isEqualTo(0.25);
    assertThat(dev1.getBatteryPercent()).isEqualTo(80);
    assertThat(dev1.getNetworkType()).isEqualTo(NetworkType.WLAN);
    assertThat(dev1.getStatusAgeMs()).isEqualTo(1_500);
    assertThat(row(during, "dev2").getRole()).isEqualTo(ServerRole.SECONDARY);
    assertThat(row(during, "dev2").getInProgress()).isZero();

    f.router.onReply(device("dev1"), "dev1", fw.requestId(), reply(fw.requestId(), 200, "hi"));
    final LoadRow after = row(table(device("dev2"), "echo.demo"), "dev1");
    assertThat(after.getInProgress()).isZero();
    assertThat(after.getServed()).isEqualTo(1);
    assertThat(after.getFailed()).isZero();
  }

  @Test
  void table_timedOutServer_isSuspectedAndCountsAFailure() {
    final Decision.Forward fw = (Decision.Forward) f.router.onRequest(request("echo.demo"));
    f.clock.advance(Duration.ofSeconds(2));
    f.router.onForwardTimeout(fw.requestId(), fw.attempt());

    final GatewayResponse table = table(device("dev1"), "echo.demo");
    assertThat(row(table, "dev1").getPresence()).isEqualTo(ServerPresence.PRESENCE_SUSPECTED);
    assertThat(row(table, "dev1").getFailed()).isEqualTo(1);
    assertThat(row(table, "dev2").getInProgress()).isEqualTo(1);
  }

  @Test
  void table_byCommunityAndService_isTheSameTable() {
    final GatewayResponse byName =
        f.api(
            device("dev2"),
            GatewayRequest.newBuilder()
                .setShowTable(ShowTable.newBuilder().setCommunity("demo").setService("echo"))
                .build());
    assertThat(byName.getStatus()).isEqualTo(200);
    assertThat(byName.getTable().getAddress()).isEqualTo("echo.demo");
    assertThat(byName.getTable().getServersCount()).isEqualTo(2);
  }

  @Test
  void table_ownerAndAdmin_mayLook_othersAreRefused() {
    assertThat(table(device("dev1"), "echo.demo").getStatus()).isEqualTo(200);
    assertThat(table(ADMIN, "echo.demo").getStatus()).isEqualTo(200);
    final GatewayResponse outsider = table(device("outsider"), "echo.demo");
    assertThat(outsider.getStatus()).isEqualTo(403);
    assertThat(outsider.hasTable()).isFalse();
    assertThat(table(RouterFixture.consumer("c1"), "echo.demo").getStatus()).isEqualTo(403);
    assertThat(why(device("outsider"), "echo.demo").getStatus()).isEqualTo(403);
    assertThat(why(RouterFixture.consumer("c1"), "echo.demo").hasDecisions()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"nothing.demo", "echo.nowhere", "dev9.echo.demo"})
  void unknownAddress_isNotFound(final String address) {
    assertThat(table(ADMIN, address).getStatus()).isEqualTo(404);
    assertThat(why(ADMIN, address).getStatus()).isEqualTo(404);
  }

  @Test
  void table_namingNothing_isABadRequest() {
    final GatewayResponse none =
        f.api(
            ADMIN,
            GatewayRequest.newBuilder().setShowTable(ShowTable.getDefaultInstance()).build());
    assertThat(none.getStatus()).isEqualTo(400);
  }

  @Test
  void why_showsTheRuleThatChoseAndWhatWasSkipped() {
    // given: dev1, the primary, answers 503, so the request fails over to dev2
    final Decision.Forward first = (Decision.Forward) f.router.onRequest(request("echo.demo"));
    assertThat(first.device()).isEqualTo("dev1");
    final Decision.Forward fw =
        (Decision.Forward)
            f.router
                .onReply(
                    device("dev1"),
                    "dev1",
                    first.requestId(),
                    RouterFixture.reply(first.requestId(), 503, "busy"))
                .get(0);
    assertThat(fw.device()).isEqualTo("dev2");

    // when
    final GatewayResponse why = why(device("dev2"), "echo.demo");

    // then: the first attempt chose the primary by the rule; the second skipped it, tried
    assertThat(why.getStatus()).isEqualTo(200);
    assertThat(why.getDecisions().getDecisionsList())
        .extracting(DecisionRecord::getServer, DecisionRecord::getRule, DecisionRecord::getAttempt)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("dev1", "PRIMARY_FIRST", 1),
            org.assertj.core.groups.Tuple.tuple("dev2", "PRIMARY_FIRST", 2));
    final DecisionRecord last = why.getDecisions().getDecisions(1);
    assertThat(last.getRequestId()).isEqualTo(fw.requestId());
    assertThat(last.getAtMs()).isEqualTo(f.clock.millis());
    assertThat(last.getSkippedList())
        .extracting(s -> s.getServer() + " " + s.getReason())
        .containsExactly("dev1 already tried");
  }

  @Test
  void why_namedServerAddress_hasItsOwnDecisions() {
    f.router.onRequest(request("dev2.echo.demo"));
    final GatewayResponse why = why(device("dev1"), "dev2.echo.demo");
    assertThat(why.getStatus()).isEqualTo(200);
    assertThat(why.getDecisions().getDecisionsList())
        .extracting(DecisionRecord::getServer, DecisionRecord::getRule)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("dev2", "named server"));
    assertThat(why(device("dev1"), "echo.demo").getDecisions().getDecisionsCount()).isZero();
  }

  @Test
  void anonymousToAll_membersSeePseudonymsOnly_ownerSeesDevices() {
    // given: anonymous to all, redirected to dev1, a request served
    setRule(
        DistributionRule.newBuilder()
            .setAnonymity(Anonymity.ANONYMOUS_TO_ALL)
            .setRedirectTo("dev1"));
    final Decision.Forward fw = (Decision.Forward) f.router.onRequest(request("echo.demo"));
    assertThat(fw.device()).isEqualTo("dev1");

    // when: dev2, a member, looks
    final GatewayResponse table = table(device("dev2"), "echo.demo");
    final GatewayResponse why = why(device("dev2"), "echo.demo");

    // then: neither device id appears anywhere in what it reads
    assertThat(table.getStatus()).isEqualTo(200);
    assertThat(why.getStatus()).isEqualTo(200);
    assertThat(table.getTable().getServersList())
        .extracting(LoadRow::getServer)
        .allMatch(s -> s.startsWith("server-"))
        .hasSize(2);
    final String seen = table.toString() + why.toString();
    assertThat(seen).doesNotContain("dev1").doesNotContain("dev2");
    final DecisionRecord d = why.getDecisions().getDecisions(0);
    final String dev1 = row(table, d.getServer()).getServer();
    assertThat(d.getRule()).isEqualTo("REDIRECT to " + dev1);
    // (every server not chosen is explained, in pseudonyms too)
    assertThat(d.getSkippedList())
        .extracting(SkippedServer::getReason)
        .containsExactly("the service is redirected to " + dev1);
    assertThat(row(table, dev1).getInProgress()).isEqualTo(1);

    // and: the owner, who assigns roles by device id, sees them
    assertThat(why(device("dev1"), "echo.demo").getDecisions().getDecisions(0).getRule())
        .isEqualTo("REDIRECT to dev1");
    assertThat(table(ADMIN, "echo.demo").getTable().getServersList())
        .extracting(LoadRow::getServer)
        .containsExactly("dev1", "dev2");
  }

  @Test
  void anonymousToConsumers_membersStillSeeDevices() {
    setRule(DistributionRule.newBuilder().setAnonymity(Anonymity.ANONYMOUS_TO_CONSUMERS));
    f.router.onRequest(request("echo.demo"));
    assertThat(table(device("dev2"), "echo.demo").getTable().getServersList())
        .extracting(LoadRow::getServer)
        .containsExactly("dev1", "dev2");
    assertThat(why(device("dev2"), "echo.demo").getDecisions().getDecisions(0).getServer())
        .isEqualTo("dev1");
    assertThat(table(RouterFixture.consumer("c1"), "echo.demo").getStatus()).isEqualTo(403);
  }

  @Test
  void lookingChangesNothing() {
    final var before = f.router.snapshot();
    final int saves = f.store.saves;
    table(device("dev2"), "echo.demo");
    why(device("dev2"), "echo.demo");
    assertThat(f.router.snapshot()).isEqualTo(before);
    assertThat(f.store.saves).isEqualTo(saves);
  }
}
