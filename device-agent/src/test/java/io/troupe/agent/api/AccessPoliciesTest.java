package io.troupe.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.ClearAccessPolicy;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.PolicyList;
import io.troupe.proto.v1.PolicyScope;
import io.troupe.proto.v1.ShowPolicies;
import io.troupe.proto.v1.ShowUsage;
import io.troupe.proto.v1.UsageReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The requests the agent library's policy operations send, and what they make of the answers. */
class AccessPoliciesTest {

  private static final AccessPolicy HELD =
      AccessPolicy.newBuilder()
          .setScope(PolicyScope.SERVICE)
          .setTarget("echo.demo")
          .setQuotaBytes(51_200)
          .setQuotaWindowSeconds(10)
          .build();

  private final List<GatewayRequest> sent = new ArrayList<>();
  private GatewayResponse answer =
      GatewayResponse.newBuilder()
          .setStatus(200)
          .setPolicies(PolicyList.newBuilder().addPolicies(HELD))
          .build();

  /** The gateway's API as the client's {@code gatewayApi} is: a request out, the answer back. */
  private final AccessPolicies policies =
      new AccessPolicies(
          request -> {
            sent.add(request);
            return CompletableFuture.completedFuture(answer);
          });

  @Test
  void set_sendsThePolicyWithItsTargetLowerCased_andAnswersThePoliciesHeld() {
    final AccessPolicy held =
        policies
            .set(
                AccessPolicies.policy(PolicyScope.SERVICE, "Echo.DEMO")
                    .setQuotaBytes(51_200)
                    .setQuotaWindowSeconds(10)
                    .build())
            .join();

    assertThat(held).isEqualTo(HELD);
    assertThat(sent).extracting(r -> r.getSetAccessPolicy().getPolicy()).containsExactly(HELD);
  }

  @Test
  void set_aPolicyBuiltWithoutTheHelper_isCheckedAndLowerCasedToo() {
    policies.set(HELD.toBuilder().setTarget("ECHO.demo").build()).join();

    assertThat(sent.get(0).getSetAccessPolicy().getPolicy().getTarget()).isEqualTo("echo.demo");
    assertThatThrownBy(() -> policies.set(HELD.toBuilder().setTarget("").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a service policy needs a target");
    assertThat(sent).hasSize(1);
  }

  @Test
  void clearShowAndUsage_sendTheirOperation() {
    answer =
        GatewayResponse.newBuilder()
            .setStatus(200)
            .setUsage(UsageReport.newBuilder().setIdentity("alice"))
            .build();

    policies.clear(PolicyScope.COMMUNITY, "Demo").join();
    policies.show().join();
    policies.show(PolicyScope.SERVER, "Dev1").join();
    final UsageReport mine = policies.usage().join();
    policies.usage("bob").join();

    assertThat(sent)
        .containsExactly(
            GatewayRequest.newBuilder()
                .setClearAccessPolicy(
                    ClearAccessPolicy.newBuilder()
                        .setScope(PolicyScope.COMMUNITY)
                        .setTarget("demo"))
                .build(),
            GatewayRequest.newBuilder().setShowPolicies(ShowPolicies.getDefaultInstance()).build(),
            // a device id is kept as given: the gateway names devices as they registered
            GatewayRequest.newBuilder()
                .setShowPolicies(
                    ShowPolicies.newBuilder().setScope(PolicyScope.SERVER).setTarget("Dev1"))
                .build(),
            GatewayRequest.newBuilder().setShowUsage(ShowUsage.getDefaultInstance()).build(),
            GatewayRequest.newBuilder()
                .setShowUsage(ShowUsage.newBuilder().setIdentity("bob"))
                .build());
    assertThat(mine.getIdentity()).isEqualTo("alice");
  }

  @Test
  void aTargetThatDoesNotFitItsScope_isTheCallersMistake_andNothingIsSent() {
    assertThatThrownBy(() -> AccessPolicies.policy(PolicyScope.GATEWAY, "all"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a gateway policy has no target: 'all'");
    assertThatThrownBy(() -> policies.clear(PolicyScope.SERVER, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a server policy needs a target");
    assertThatThrownBy(() -> policies.show(PolicyScope.POLICY_SCOPE_UNSPECIFIED, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GATEWAY, COMMUNITY, SERVICE or SERVER");
    assertThat(sent).isEmpty();
  }

  @Test
  void aRefusal_failsTheFutureWithTheGatewaysStatus() {
    final AccessPolicies refusing =
        new AccessPolicies(
            request -> CompletableFuture.failedFuture(new TroupeException(403, "not the owner")));

    assertThatThrownBy(() -> refusing.set(HELD).join())
        .hasCauseInstanceOf(TroupeException.class)
        .hasMessageContaining("status 403: not the owner");
  }
}
