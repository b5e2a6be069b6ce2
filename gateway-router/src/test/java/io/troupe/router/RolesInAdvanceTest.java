package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static io.troupe.router.RouterFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.AssignRoles;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.ServiceRecord;
import io.troupe.proto.v1.UpdateCommunity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Roles assigned in advance (R1): the owner names the role of a member identity that does not serve
 * the service yet; the gateway keeps it, through a restart, and applies it when that identity
 * registers, on the next request.
 */
class RolesInAdvanceTest {

  private final RouterFixture f = new RouterFixture();

  @BeforeEach
  void twoServersAndAMemberToCome() {
    f.register("dev1", "demo", "echo");
    f.register("dev2", "demo", "echo");
    f.online("dev1", "demo");
    f.online("dev2", "demo");
    assertThat(
            f.api(
                    device("dev1"),
                    GatewayRequest.newBuilder()
                        .setUpdateCommunity(
                            UpdateCommunity.newBuilder().setCommunity("demo").addAddMembers("dev3"))
                        .build())
                .getStatus())
        .isEqualTo(200);
  }

  private ApiResult byOwner(final Map<String, ServerRole> roles) {
    return f.router.onApi(
        device("dev1"),
        GatewayRequest.newBuilder()
            .setAssignRoles(
                AssignRoles.newBuilder().setCommunity("demo").setService("echo").putAllRoles(roles))
            .build()
            .toByteString());
  }

  private GatewayResponse registerDev3() {
    f.join("dev3", "demo");
    return f.api(
        device("dev3"),
        GatewayRequest.newBuilder()
            .setRegisterService(
                RegisterService.newBuilder().setCommunity("demo").setService("echo"))
            .build());
  }

  private Map<String, ServerRole> roles() {
    final Map<String, ServerRole> roles = new LinkedHashMap<>();
    for (final ServiceRecord s : f.router.snapshot().getCommunities(0).getServicesList()) {
      s.getServersList().forEach(e -> roles.put(e.getDevice(), e.getRole()));
    }
    return roles;
  }

  private static Map<String, ServerRole> told(final List<Directive> directives) {
    final Map<String, ServerRole> told = new LinkedHashMap<>();
    for (final Directive d : directives) {
      if (d instanceof Directive.SendControl c && c.control().hasRole()) {
        told.put(c.device(), c.control().getRole().getRole());
      }
    }
    return told;
  }

  @Test
  void volunteerInAdvance_isKeptThroughARestart_andAppliedWhenItRegisters() {
    final ApiResult assigned = byOwner(Map.of("dev3", ServerRole.VOLUNTEER));
    assertThat(assigned.response().getStatus()).as(assigned.response().getReason()).isEqualTo(200);
    assertThat(told(assigned.directives())).as("no one serves yet to be told").isEmpty();
    assertThat(roles()).doesNotContainKey("dev3");

    f.restart();
    final GatewayResponse registered = registerDev3();

    assertThat(registered.getRegistration().getRole()).isEqualTo(ServerRole.VOLUNTEER);
    assertThat(roles())
        .containsEntry("dev1", ServerRole.PRIMARY)
        .containsEntry("dev2", ServerRole.SECONDARY)
        .containsEntry("dev3", ServerRole.VOLUNTEER);
    assertThat(f.router.snapshot().getCommunities(0).getServices(0).getAssignedList())
        .as("applied, so no longer waiting")
        .isEmpty();
  }

  @Test
  void primaryInAdvance_takesOverWhenItRegisters_theOldPrimaryIsTold_nextRequestGoesThere() {
    assertThat(byOwner(Map.of("dev3", ServerRole.PRIMARY)).response().getStatus()).isEqualTo(200);
    assertThat(roles())
        .as("the primary stays until dev3 comes")
        .containsEntry("dev1", ServerRole.PRIMARY);

    f.join("dev3", "demo");
    final ApiResult registered =
        f.router.onApi(
            device("dev3"),
            GatewayRequest.newBuilder()
                .setRegisterService(
                    RegisterService.newBuilder().setCommunity("demo").setService("echo"))
                .build()
                .toByteString());
    f.online("dev3", "demo");

    assertThat(registered.response().getRegistration().getRole()).isEqualTo(ServerRole.PRIMARY);
    assertThat(told(registered.directives())).containsEntry("dev1", ServerRole.SECONDARY);
    assertThat(roles())
        .containsEntry("dev1", ServerRole.SECONDARY)
        .containsEntry("dev3", ServerRole.PRIMARY);
    assertThat(roles().values().stream().filter(r -> r == ServerRole.PRIMARY)).hasSize(1);
    assertThat(((Decision.Forward) f.router.onRequest(request("echo.demo"))).device())
        .isEqualTo("dev3");
  }

  @Test
  void passiveRegistration_dropsTheRoleAssignedInAdvance() {
    byOwner(Map.of("dev3", ServerRole.SECONDARY));
    f.join("dev3", "demo");
    final GatewayResponse registered =
        f.api(
            device("dev3"),
            GatewayRequest.newBuilder()
                .setRegisterService(
                    RegisterService.newBuilder()
                        .setCommunity("demo")
                        .setService("echo")
                        .setPassive(true))
                .build());
    assertThat(registered.getRegistration().getRole()).isEqualTo(ServerRole.PASSIVE);
    assertThat(f.router.snapshot().getCommunities(0).getServices(0).getAssignedList()).isEmpty();
  }

  @Test
  void memberRemovedFromTheCommunity_losesTheRoleAssignedInAdvance() {
    byOwner(Map.of("dev3", ServerRole.VOLUNTEER));
    assertThat(f.router.snapshot().getCommunities(0).getServices(0).getAssignedList()).hasSize(1);
    f.api(
        device("dev1"),
        GatewayRequest.newBuilder()
            .setUpdateCommunity(
                UpdateCommunity.newBuilder().setCommunity("demo").addRemoveMembers("dev3"))
            .build());
    assertThat(f.router.snapshot().getCommunities(0).getServices(0).getAssignedList()).isEmpty();
  }

  @Test
  void inAdvance_toAnIdentityThatMayNotJoin_isRefused_andNothingIsKept() {
    final ApiResult r = byOwner(Map.of("stranger", ServerRole.VOLUNTEER));
    assertThat(r.response().getStatus()).isEqualTo(404);
    assertThat(r.response().getReason()).contains("may not join");
    assertThat(f.router.snapshot().getCommunities(0).getServices(0).getAssignedList()).isEmpty();
  }

  @Test
  void inAdvance_withAPrimaryAmongTheServersToo_isRefused() {
    final ApiResult r = byOwner(Map.of("dev3", ServerRole.PRIMARY, "dev2", ServerRole.PRIMARY));
    assertThat(r.response().getStatus()).isEqualTo(400);
    assertThat(roles()).containsEntry("dev1", ServerRole.PRIMARY);
    assertThat(f.router.snapshot().getCommunities(0).getServices(0).getAssignedList()).isEmpty();
  }
}
