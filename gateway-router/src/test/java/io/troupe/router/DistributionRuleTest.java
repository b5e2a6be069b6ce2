package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static io.troupe.router.RouterFixture.reply;
import static io.troupe.router.RouterFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.AvailabilityCriteria;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.NamingMode;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.SetDistributionRule;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.TimeWindow;
import io.troupe.router.internal.routing.Explanation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Distribution rules set live (R6), criteria (R9), load (R11) and sessions (R8) in the router. */
class DistributionRuleTest {

  private static final Principal ADMIN = new Principal("admin", IdentityRole.ADMIN, "admin-cli");
  private RouterFixture f;

  @BeforeEach
  void twoServers() {
    f = new RouterFixture();
    f.register("dev1", "demo", "echo");
    f.register("dev2", "demo", "echo");
    f.online("dev1", "demo");
    f.online("dev2", "demo");
  }

  private GatewayResponse setRule(final Principal who, final DistributionRule rule) {
    return f.api(who, setRuleRequest("echo.demo", rule));
  }

  private static GatewayRequest setRuleRequest(final String address, final DistributionRule rule) {
    return GatewayRequest.newBuilder()
        .setSetDistributionRule(SetDistributionRule.newBuilder().setAddress(address).setRule(rule))
        .build();
  }

  private static DistributionRule order(final RequestOrder order) {
    return DistributionRule.newBuilder().setOrder(order).build();
  }

  private static DistributionRule redirect(final String to) {
    return DistributionRule.newBuilder().setRedirectTo(to).build();
  }

  private String routedTo(final ConsumerRequest r) {
    final Decision d = f.router.onRequest(r);
    assertThat(d).isInstanceOf(Decision.Forward.class);
    return ((Decision.Forward) d).device();
  }

  private Decision.Answer refused() {
    final Decision d = f.router.onRequest(request("echo.demo"));
    assertThat(d).isInstanceOf(Decision.Answer.class);
    return (Decision.Answer) d;
  }

  private void metrics(final String device, final Metrics metrics) {
    f.status(
        device,
        "demo",
        StatusMessage.newBuilder()
            .setDeviceId(device)
            .setAvailability(Availability.AVAILABLE)
            .setMetrics(metrics)
            .build());
  }

  @Test
  void setRule_byOwner_takesEffectOnTheNextRequestAndRepublishesTheList() {
    assertThat(routedTo(request("echo.demo"))).isEqualTo("dev1");
    final ApiResult result =
        f.router.onApi(
            device("dev1"),
            setRuleRequest("echo.demo", order(RequestOrder.SECONDARY_FIRST)).toByteString());
    assertThat(result.response().getStatus()).isEqualTo(200);
    assertThat(result.directives())
        .filteredOn(Directive.PublishServers.class::isInstance)
        .singleElement()
        .isInstanceOfSatisfying(
            Directive.PublishServers.class,
            d -> assertThat(d.list().getRule().getOrder()).isEqualTo(RequestOrder.SECONDARY_FIRST));
    assertThat(routedTo(request("echo.demo"))).isEqualTo("dev2");
    assertThat(f.router.lastDecisions("echo.demo"))
        .extracting(Explanation::rule)
        .containsExactly("PRIMARY_FIRST", "SECONDARY_FIRST");
  }

  @Test
  void setRule_whoMaySetIt() {
    assertThat(setRule(device("dev2"), order(RequestOrder.SECONDARY_FIRST)).getStatus())
        .as("a member that does not own the community")
        .isEqualTo(403);
    assertThat(setRule(ADMIN, order(RequestOrder.SECONDARY_FIRST)).getStatus()).isEqualTo(200);
    assertThat(
            f.api(ADMIN, setRuleRequest("nope.demo", order(RequestOrder.LEAST_LOADED))).getStatus())
        .isEqualTo(404);
  }

  @Test
  void setRule_redirectToAStranger_isRefusedWith400AndChangesNothing() {
    final int saves = f.store.saves;
    final GatewayResponse r = setRule(device("dev1"), redirect("dev9"));
    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(r.getReason()).contains("dev9");
    assertThat(f.store.saves).isEqualTo(saves);
    assertThat(routedTo(request("echo.demo"))).isEqualTo("dev1");
  }

  @Test
  void setRule_redirectToAPassiveServer_isRefusedWith400() {
    f.join("dev3", "demo");
    assertThat(
            f.api(
                    device("dev3"),
                    GatewayRequest.newBuilder()
                        .setRegisterService(
                            RegisterService.newBuilder()
                                .setCommunity("demo")
                                .setService("echo")
                                .setPassive(true))
                        .build())
                .getStatus())
        .isEqualTo(200);
    assertThat(setRule(device("dev1"), redirect("dev3")).getStatus()).isEqualTo(400);
  }

  @Test
  void setRule_namingIsFixed_anUnspecifiedAnonymityIsKept() {
    assertThat(
            setRule(
                    device("dev1"),
                    DistributionRule.newBuilder().setNaming(NamingMode.SUBDOMAIN).build())
                .getStatus())
        .isEqualTo(400);
    setRule(
        device("dev1"),
        DistributionRule.newBuilder().setAnonymity(Anonymity.ANONYMOUS_TO_CONSUMERS).build());
    setRule(device("dev1"), order(RequestOrder.SECONDARY_FIRST));
    final Decision.Forward fw = (Decision.Forward) f.router.onRequest(request("echo.demo"));
    assertThat(fw.device()).isEqualTo("dev2");
    final List<Decision> answer =
        f.router.onReply(device("dev2"), "dev2", fw.requestId(), reply(fw.requestId(), 200, ""));
    assertThat(((Decision.Answer) answer.get(0)).server()).as("still anonymous").isEmpty();
  }

  @Test
  void setRule_survivesARestart() {
    assertThat(setRule(device("dev1"), redirect("dev2")).getStatus()).isEqualTo(200);
    f.restart();
    f.online("dev1", "demo");
    f.online("dev2", "demo");
    assertThat(routedTo(request("echo.demo"))).isEqualTo("dev2");
    assertThat(f.router.lastDecisions("echo.demo").get(0).rule()).isEqualTo("REDIRECT to dev2");
  }

  @Test
  void setRule_notSaved_isUndoneAndAnswered500() {
    f.store.failing = true;
    assertThat(setRule(device("dev1"), redirect("dev2")).getStatus()).isEqualTo(500);
    f.store.failing = false;
    assertThat(routedTo(request("echo.demo"))).isEqualTo("dev1");
  }

  @Test
  void redirect_toAnOfflineServer_refusesWith503NamingIt_neverGoesElsewhere() {
    assertThat(setRule(device("dev1"), redirect("dev2")).getStatus()).isEqualTo(200);
    f.status("dev2", "demo", Availability.OFFLINE, 0);
    final Decision.Answer a = refused();
    assertThat(a.code()).isEqualTo(503);
    assertThat(a.reason())
        .isEqualTo("'echo.demo' is redirected to dev2, which is unusable: offline");
  }

  @Test
  void redirect_targetTimesOut_answers504WithoutTryingAnotherServer() {
    assertThat(setRule(device("dev1"), redirect("dev2")).getStatus()).isEqualTo(200);
    final Decision.Forward fw = (Decision.Forward) f.router.onRequest(request("echo.demo"));
    assertThat(fw.device()).isEqualTo("dev2");
    // with nowhere else to go, the request waits on the target until the deadline
    assertThat(f.router.onForwardTimeout(fw.requestId(), fw.attempt()))
        .singleElement()
        .isInstanceOf(Decision.Wait.class);
    f.clock.advance(f.config.defaultDeadline());
    final List<Decision> after = f.router.onForwardTimeout(fw.requestId(), fw.attempt());
    assertThat(after).singleElement().isInstanceOf(Decision.Answer.class);
    assertThat(((Decision.Answer) after.get(0)).code()).isEqualTo(504);
  }

  @Test
  void redirect_ended_requestsFollowTheOrderAgain() {
    setRule(device("dev1"), redirect("dev2"));
    assertThat(setRule(device("dev1"), DistributionRule.getDefaultInstance()).getStatus())
        .isEqualTo(200);
    assertThat(routedTo(request("echo.demo"))).isEqualTo("dev1");
  }

  @Test
  void register_withLeastLoadedOrARedirectToItself_isAccepted_toAnotherDevice_400() {
    f.join("dev1", "demo");
    final GatewayResponse leastLoaded =
        f.api(device("dev1"), register("ll", order(RequestOrder.LEAST_LOADED)));
    assertThat(leastLoaded.getStatus()).isEqualTo(201);
    assertThat(f.api(device("dev1"), register("mine", redirect("dev1"))).getStatus())
        .isEqualTo(201);
    final GatewayResponse other = f.api(device("dev1"), register("theirs", redirect("dev2")));
    assertThat(other.getStatus()).isEqualTo(400);
    assertThat(other.getReason()).contains("dev2");
  }

  private static GatewayRequest register(final String service, final DistributionRule rule) {
    return GatewayRequest.newBuilder()
        .setRegisterService(
            RegisterService.newBuilder().setCommunity("demo").setService(service).setRule(rule))
        .build();
  }

  @Test
  void leastLoaded_followsTheReportedLoad() {
    setRule(device("dev1"), order(RequestOrder.LEAST_LOADED));
    metrics("dev1", Metrics.newBuilder().setLoad(0.9).build());
    metrics("dev2", Metrics.newBuilder().setLoad(0.2).build());
    assertThat(routedTo(request("echo.demo"))).isEqualTo("dev2");
    metrics("dev2", Metrics.newBuilder().setLoad(0.95).build());
    assertThat(routedTo(request("echo.demo"))).isEqualTo("dev1");
  }

  @Test
  void leastLoaded_equalLoads_primaryFirstThenTheRequestsInProgressSpreadThem() {
    setRule(device("dev1"), order(RequestOrder.LEAST_LOADED));
    assertThat(routedTo(request("echo.demo"))).isEqualTo("dev1");
    assertThat(routedTo(request("echo.demo"))).isEqualTo("dev2");
    assertThat(routedTo(request("echo.demo"))).isEqualTo("dev1");
  }

  @Test
  void stickySession_serverLeavesItsTimeWindow_goesBackToThePrimary() {
    // given: the session bound to dev2 while dev1 was away; dev2 serves 12:00-13:00 UTC only
    final AvailabilityCriteria noonHour =
        AvailabilityCriteria.newBuilder()
            .addWindows(TimeWindow.newBuilder().setStartMinute(720).setEndMinute(780))
            .build();
    final StatusMessage dev2 =
        StatusMessage.newBuilder()
            .setDeviceId("dev2")
            .setAvailability(Availability.AVAILABLE)
            .setCriteria(noonHour)
            .build();
    f.status("dev2", "demo", dev2);
    f.status("dev1", "demo", Availability.OFFLINE, 0);
    final ConsumerRequest session = request("echo.demo", Map.of("session", "s1"));
    final Decision.Forward fw = (Decision.Forward) f.router.onRequest(session);
    assertThat(fw.device()).isEqualTo("dev2");
    f.router.onReply(device("dev2"), "dev2", fw.requestId(), reply(fw.requestId(), 200, "ok"));
    f.online("dev1", "demo");
    assertThat(routedTo(session)).as("sticky after the primary returns").isEqualTo("dev2");

    // when: an hour later dev2 is outside its window, though it still reports
    f.clock.advance(Duration.ofMinutes(61));
    f.status("dev1", "demo", Availability.AVAILABLE, 0);
    f.status("dev2", "demo", dev2);

    // then
    assertThat(routedTo(session)).isEqualTo("dev1");
    final List<Explanation> why = f.router.lastDecisions("echo.demo");
    assertThat(why.get(why.size() - 1).skipped())
        .contains(
            new Explanation.Skip(
                "dev2", "outside its availability criteria: outside its time windows"));
  }

  @Test
  void allServersPassive_refusesWith503() {
    f.join("dev1", "quiet");
    final GatewayRequest passive =
        GatewayRequest.newBuilder()
            .setRegisterService(
                RegisterService.newBuilder()
                    .setCommunity("quiet")
                    .setService("echo")
                    .setPassive(true))
            .build();
    assertThat(f.api(device("dev1"), passive).getStatus()).isEqualTo(201);
    f.online("dev1", "quiet");
    final Decision d = f.router.onRequest(request("echo.quiet"));
    assertThat(d).isInstanceOf(Decision.Answer.class);
    assertThat(((Decision.Answer) d).code()).isEqualTo(503);
    assertThat(((Decision.Answer) d).reason()).contains("dev1 passive");
  }

  @Test
  void lastDecisions_keepsTheLastSixteenPerAddress() {
    for (int i = 0; i < 20; i++) {
      f.router.onRequest(request("echo.demo"));
    }
    assertThat(f.router.lastDecisions("echo.demo")).hasSize(16);
    assertThat(f.router.lastDecisions("other.demo")).isEmpty();
  }
}
