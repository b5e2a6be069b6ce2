package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.SetDistributionRule;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rule set with {@code patch} changes only what it sets, {@code end_redirect} ends a redirect,
 * and every answer carries the rule the gateway now holds (issue 13, bug 3).
 */
class RulePatchTest {

  private final RouterFixture f = new RouterFixture();

  @BeforeEach
  void twoServers() {
    f.register("dev1", "demo", "echo");
    f.register("dev2", "demo", "echo");
    f.online("dev1", "demo");
    f.online("dev2", "demo");
  }

  private GatewayResponse set(final SetDistributionRule.Builder op) {
    return f.api(
        device("dev1"),
        GatewayRequest.newBuilder().setSetDistributionRule(op.setAddress("echo.demo")).build());
  }

  private static SetDistributionRule.Builder patch(final DistributionRule.Builder rule) {
    return SetDistributionRule.newBuilder().setPatch(true).setRule(rule);
  }

  private void redirectSecondaryFirst() {
    set(
        patch(
            DistributionRule.newBuilder()
                .setOrder(RequestOrder.SECONDARY_FIRST)
                .setRedirectTo("dev2")));
  }

  @Test
  void patch_redirectAfterAnOrder_keepsTheOrder_andAnswersTheRuleHeld() {
    set(patch(DistributionRule.newBuilder().setOrder(RequestOrder.LEAST_LOADED)));

    final GatewayResponse r = set(patch(DistributionRule.newBuilder().setRedirectTo("dev2")));

    assertThat(r.getStatus()).as(r.getReason()).isEqualTo(200);
    assertThat(r.getService().getAddress()).isEqualTo("echo.demo");
    assertThat(r.getService().getRule().getOrder()).isEqualTo(RequestOrder.LEAST_LOADED);
    assertThat(r.getService().getRule().getRedirectTo()).isEqualTo("dev2");
  }

  @Test
  void patch_anonymityAlone_keepsTheOrderAndTheRedirect() {
    redirectSecondaryFirst();

    final GatewayResponse r =
        set(patch(DistributionRule.newBuilder().setAnonymity(Anonymity.ANONYMOUS_TO_ALL)));

    assertThat(r.getService().getRule().getOrder()).isEqualTo(RequestOrder.SECONDARY_FIRST);
    assertThat(r.getService().getRule().getRedirectTo()).isEqualTo("dev2");
    assertThat(r.getService().getRule().getAnonymity()).isEqualTo(Anonymity.ANONYMOUS_TO_ALL);
  }

  @Test
  void endRedirect_withPatch_endsTheRedirect_andKeepsTheOrder() {
    redirectSecondaryFirst();

    final GatewayResponse r =
        set(SetDistributionRule.newBuilder().setPatch(true).setEndRedirect(true));

    assertThat(r.getStatus()).as(r.getReason()).isEqualTo(200);
    assertThat(r.getService().getRule().getRedirectTo()).isEmpty();
    assertThat(r.getService().getRule().getOrder()).isEqualTo(RequestOrder.SECONDARY_FIRST);
  }

  @Test
  void endRedirect_withoutPatch_endsTheRedirect() {
    set(patch(DistributionRule.newBuilder().setRedirectTo("dev2")));

    final GatewayResponse r = set(SetDistributionRule.newBuilder().setEndRedirect(true));

    assertThat(r.getStatus()).as(r.getReason()).isEqualTo(200);
    assertThat(r.getService().getRule().getRedirectTo()).isEmpty();
  }

  @Test
  void endRedirect_togetherWithARedirect_refusesWith400_andKeepsTheRule() {
    set(patch(DistributionRule.newBuilder().setRedirectTo("dev2")));

    final GatewayResponse r =
        set(patch(DistributionRule.newBuilder().setRedirectTo("dev1")).setEndRedirect(true));

    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(set(patch(DistributionRule.newBuilder())).getService().getRule().getRedirectTo())
        .isEqualTo("dev2");
  }

  @Test
  void patch_redirectToNoServerOfTheService_staysRefusedWith400() {
    final GatewayResponse r = set(patch(DistributionRule.newBuilder().setRedirectTo("none")));

    assertThat(r.getStatus()).isEqualTo(400);
  }

  @Test
  void withoutPatch_theRuleGivenReplacesTheWholeRule() {
    set(patch(DistributionRule.newBuilder().setOrder(RequestOrder.LEAST_LOADED)));

    final GatewayResponse r =
        set(
            SetDistributionRule.newBuilder()
                .setRule(DistributionRule.newBuilder().setRedirectTo("dev2")));

    assertThat(r.getService().getRule().getOrder()).isEqualTo(RequestOrder.PRIMARY_FIRST);
    assertThat(r.getService().getRule().getRedirectTo()).isEqualTo("dev2");
  }
}
