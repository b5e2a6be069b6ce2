package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static io.troupe.router.RouterFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.SetDistributionRule;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Devices learn rule changes (R6): each server of a service whose rule changed gets the new rule on
 * its control topic; the change takes effect on the next request and survives a restart.
 */
class RuleUpdateTest {

  private final RouterFixture f = new RouterFixture();

  @BeforeEach
  void threeServers() {
    f.register("dev1", "demo", "echo");
    f.register("dev2", "demo", "echo");
    f.register(
        "dev3",
        RegisterService.newBuilder().setCommunity("demo").setService("echo").setPassive(true));
    f.online("dev1", "demo");
    f.online("dev2", "demo");
  }

  private ApiResult set(final DistributionRule rule) {
    return f.router.onApi(
        device("dev1"),
        GatewayRequest.newBuilder()
            .setSetDistributionRule(
                SetDistributionRule.newBuilder().setAddress("echo.demo").setRule(rule))
            .build()
            .toByteString());
  }

  private static Map<String, DistributionRule> told(final ApiResult r) {
    final Map<String, DistributionRule> told = new LinkedHashMap<>();
    for (final Directive d : r.directives()) {
      if (d instanceof Directive.SendControl c && c.control().hasRule()) {
        assertThat(c.topic()).isEqualTo("troupe/d/" + c.device() + "/ctl");
        assertThat(c.control().getAddress()).isEqualTo("echo.demo");
        told.put(c.device(), c.control().getRule().getRule());
      }
    }
    return told;
  }

  @Test
  void changedRule_everyServerIsTold_takesEffectOnTheNextRequest_andSurvivesARestart() {
    final ApiResult r =
        set(DistributionRule.newBuilder().setOrder(RequestOrder.SECONDARY_FIRST).build());

    assertThat(r.response().getStatus()).as(r.response().getReason()).isEqualTo(200);
    assertThat(told(r)).containsOnlyKeys("dev1", "dev2", "dev3");
    assertThat(told(r).values())
        .allSatisfy(rule -> assertThat(rule.getOrder()).isEqualTo(RequestOrder.SECONDARY_FIRST));
    assertThat(((Decision.Forward) f.router.onRequest(request("echo.demo"))).device())
        .isEqualTo("dev2");

    f.restart();
    f.online("dev1", "demo");
    f.online("dev2", "demo");
    assertThat(((Decision.Forward) f.router.onRequest(request("echo.demo"))).device())
        .isEqualTo("dev2");
  }

  @Test
  void sameRuleAgain_tellsNoOne() {
    final ApiResult r =
        set(DistributionRule.newBuilder().setOrder(RequestOrder.PRIMARY_FIRST).build());
    assertThat(r.response().getStatus()).isEqualTo(200);
    assertThat(told(r)).isEmpty();
  }

  @Test
  void refusedRule_tellsNoOne() {
    final ApiResult r = set(DistributionRule.newBuilder().setRedirectTo("dev3").build());
    assertThat(r.response().getStatus()).isEqualTo(400);
    assertThat(r.directives()).isEmpty();
  }

  @Test
  void redirectInAServiceAnonymousToAll_namesThePseudonymTheMembersSee() {
    final ApiResult r =
        set(
            DistributionRule.newBuilder()
                .setRedirectTo("dev2")
                .setAnonymity(Anonymity.ANONYMOUS_TO_ALL)
                .build());
    assertThat(r.response().getStatus()).isEqualTo(200);
    assertThat(told(r).values())
        .allSatisfy(
            rule -> {
              assertThat(rule.getRedirectTo()).startsWith("server-");
              assertThat(rule.getRedirectTo()).doesNotContain("dev2");
            });
  }
}
