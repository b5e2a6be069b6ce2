package io.troupe.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.ClearAccessPolicy;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.PolicyScope;
import io.troupe.proto.v1.SetAccessPolicy;
import io.troupe.proto.v1.ShowPolicies;
import io.troupe.proto.v1.ShowUsage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SetAccessPolicy, ClearAccessPolicy, ShowPolicies, ShowUsage: authority, validation, storage. */
class AccessPolicyOpsTest {

  private static final Principal ADMIN = new Principal("root", IdentityRole.ADMIN, "root");
  private final RouterFixture f = new RouterFixture();

  @BeforeEach
  void serviceEchoInDemo_ownedByDev1() {
    f.register("dev1", "demo", "echo");
    f.register("dev2", "other", "echo");
  }

  static GatewayRequest set(final AccessPolicy.Builder p) {
    return GatewayRequest.newBuilder()
        .setSetAccessPolicy(SetAccessPolicy.newBuilder().setPolicy(p))
        .build();
  }

  static AccessPolicy.Builder quota(final PolicyScope scope, final String target) {
    return AccessPolicy.newBuilder()
        .setScope(scope)
        .setTarget(target)
        .setQuotaBytes(51_200)
        .setQuotaWindowSeconds(10);
  }

  private static GatewayRequest clear(final PolicyScope scope, final String target) {
    return GatewayRequest.newBuilder()
        .setClearAccessPolicy(ClearAccessPolicy.newBuilder().setScope(scope).setTarget(target))
        .build();
  }

  private GatewayResponse showAll(final Principal who) {
    return f.api(
        who,
        GatewayRequest.newBuilder().setShowPolicies(ShowPolicies.getDefaultInstance()).build());
  }

  @Test
  void set_gatewayPolicyByAdmin_isInForceSavedAndLoadedAtStart() {
    final GatewayResponse r = f.api(ADMIN, set(quota(PolicyScope.GATEWAY, "")));

    assertThat(r.getStatus()).as(r.getReason()).isEqualTo(200);
    assertThat(r.getPolicies().getPoliciesList()).hasSize(1);
    assertThat(showAll(RouterFixture.device("dev2")).getPolicies().getPoliciesList()).hasSize(1);
    assertThat(policiesAfterRestart()).containsExactly(quota(PolicyScope.GATEWAY, "").build());
  }

  @Test
  void set_gatewayPolicyByDevice_403() {
    assertThat(f.api(RouterFixture.device("dev1"), set(quota(PolicyScope.GATEWAY, ""))).getStatus())
        .isEqualTo(403);
    assertThat(showAll(ADMIN).getPolicies().getPoliciesList()).isEmpty();
  }

  @Test
  void set_servicePolicy_byCommunityOwnerAllowed_byAnotherDevice403() {
    assertThat(
            f.api(RouterFixture.device("dev2"), set(quota(PolicyScope.SERVICE, "echo.demo")))
                .getStatus())
        .isEqualTo(403);
    assertThat(
            f.api(RouterFixture.device("dev1"), set(quota(PolicyScope.SERVICE, "ECHO.demo")))
                .getStatus())
        .isEqualTo(200);
    assertThat(showAll(ADMIN).getPolicies().getPolicies(0).getTarget()).isEqualTo("echo.demo");
    // a device of another community does not see it; the owner does
    assertThat(showAll(RouterFixture.device("dev2")).getPolicies().getPoliciesList()).isEmpty();
    assertThat(showAll(RouterFixture.device("dev1")).getPolicies().getPoliciesList()).hasSize(1);
  }

  @Test
  void set_serverPolicy_byTheDeviceItself() {
    addDevice("dev1");
    assertThat(
            f.api(RouterFixture.device("dev1"), set(quota(PolicyScope.SERVER, "dev1"))).getStatus())
        .isEqualTo(200);
    assertThat(
            f.api(RouterFixture.device("dev2"), set(quota(PolicyScope.SERVER, "dev1"))).getStatus())
        .isEqualTo(403);
  }

  @Test
  void set_badValues_400_andChangeNothing() {
    final int writes = f.store.saves;
    assertThat(
            f.api(ADMIN, set(quota(PolicyScope.GATEWAY, "").setMaxTransferRatio(-1))).getStatus())
        .isEqualTo(400);
    assertThat(
            f.api(ADMIN, set(quota(PolicyScope.GATEWAY, "").setQuotaWindowSeconds(0))).getStatus())
        .isEqualTo(400);
    assertThat(f.api(ADMIN, set(quota(PolicyScope.COMMUNITY, "nowhere"))).getStatus())
        .isEqualTo(400);
    assertThat(f.api(ADMIN, set(quota(PolicyScope.SERVICE, "nothing.demo"))).getStatus())
        .isEqualTo(400);
    assertThat(f.api(ADMIN, set(quota(PolicyScope.SERVER, "nobody"))).getStatus()).isEqualTo(400);
    assertThat(f.api(ADMIN, set(quota(PolicyScope.POLICY_SCOPE_UNSPECIFIED, ""))).getStatus())
        .isEqualTo(400);
    assertThat(f.store.saves).isEqualTo(writes);
    assertThat(showAll(ADMIN).getPolicies().getPoliciesList()).isEmpty();
  }

  @Test
  void set_replacesTheWholePolicy_clearRemovesIt_clearingNone404() {
    f.api(ADMIN, set(quota(PolicyScope.COMMUNITY, "demo").setMaxConnections(3)));
    f.api(
        ADMIN,
        set(
            AccessPolicy.newBuilder()
                .setScope(PolicyScope.COMMUNITY)
                .setTarget("demo")
                .setBandwidthBytesPerSecond(1000)));
    assertThat(showAll(ADMIN).getPolicies().getPoliciesList())
        .containsExactly(
            AccessPolicy.newBuilder()
                .setScope(PolicyScope.COMMUNITY)
                .setTarget("demo")
                .setBandwidthBytesPerSecond(1000)
                .build());

    assertThat(
            f.api(RouterFixture.device("dev1"), clear(PolicyScope.COMMUNITY, "demo")).getStatus())
        .isEqualTo(200);
    assertThat(showAll(ADMIN).getPolicies().getPoliciesList()).isEmpty();
    assertThat(f.api(ADMIN, clear(PolicyScope.COMMUNITY, "demo")).getStatus()).isEqualTo(404);
    assertThat(policiesAfterRestart()).isEmpty();
  }

  @Test
  void set_storeFails_500_andThePolicyIsNotInForce() {
    f.store.failing = true;
    assertThat(f.api(ADMIN, set(quota(PolicyScope.GATEWAY, ""))).getStatus()).isEqualTo(500);
    f.store.failing = false;
    assertThat(showAll(ADMIN).getPolicies().getPoliciesList()).isEmpty();
  }

  @Test
  void showUsage_ofAnother_onlyForAnAdmin() {
    addDevice("dev1");
    final GatewayRequest usageOfDev1 =
        GatewayRequest.newBuilder()
            .setShowUsage(ShowUsage.newBuilder().setIdentity("dev1"))
            .build();
    assertThat(f.api(RouterFixture.device("dev2"), usageOfDev1).getStatus()).isEqualTo(403);
    final GatewayResponse r = f.api(ADMIN, usageOfDev1);
    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(r.getUsage().getIdentity()).isEqualTo("dev1");
    assertThat(
            f.api(
                    RouterFixture.device("dev1"),
                    GatewayRequest.newBuilder()
                        .setShowUsage(ShowUsage.getDefaultInstance())
                        .build())
                .getUsage()
                .getIdentity())
        .isEqualTo("dev1");
  }

  /** The policies a router started on the same store has in force. */
  private java.util.List<AccessPolicy> policiesAfterRestart() {
    final GatewayRouter restarted =
        new GatewayRouter(f.config, RouterFixture.LOGINS, f.clock, f.store);
    return restarted
        .onApi(
            ADMIN,
            GatewayRequest.newBuilder()
                .setShowPolicies(ShowPolicies.getDefaultInstance())
                .build()
                .toByteString())
        .response()
        .getPolicies()
        .getPoliciesList();
  }

  private void addDevice(final String name) {
    assertThat(
            f.api(
                    ADMIN,
                    GatewayRequest.newBuilder()
                        .setAddIdentity(
                            AddIdentity.newBuilder().setName(name).setRole(IdentityRole.DEVICE))
                        .build())
                .getStatus())
        .isIn(200, 201);
  }
}
