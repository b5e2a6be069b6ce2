package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static io.troupe.router.RouterFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.AssignRoles;
import io.troupe.proto.v1.CreateCommunity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.ServiceRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Roles by hand (R1): the owner assigns primary, secondaries and volunteers, then or later. */
class RoleAssignmentTest {

  private final RouterFixture f = new RouterFixture();

  @BeforeEach
  void threeServers() {
    f.register("dev1", "demo", "echo");
    f.register("dev2", "demo", "echo");
    f.register("dev3", "demo", "echo");
    f.online("dev1", "demo");
    f.online("dev2", "demo");
    f.online("dev3", "demo");
  }

  private static GatewayRequest assign(
      final String community, final String service, final Map<String, ServerRole> roles) {
    return GatewayRequest.newBuilder()
        .setAssignRoles(
            AssignRoles.newBuilder().setCommunity(community).setService(service).putAllRoles(roles))
        .build();
  }

  private ApiResult byOwner(final Map<String, ServerRole> roles) {
    return f.router.onApi(device("dev1"), assign("demo", "echo", roles).toByteString());
  }

  private Map<String, ServerRole> roles() {
    final Map<String, ServerRole> roles = new LinkedHashMap<>();
    for (final ServiceRecord s : f.router.snapshot().getCommunities(0).getServicesList()) {
      s.getServersList().forEach(e -> roles.put(e.getDevice(), e.getRole()));
    }
    return roles;
  }

  private static Map<String, ServerRole> toldOnControl(final List<Directive> directives) {
    final Map<String, ServerRole> told = new LinkedHashMap<>();
    for (final Directive d : directives) {
      if (d instanceof Directive.SendControl c && c.control().hasRole()) {
        assertThat(c.topic()).isEqualTo("troupe/d/" + c.device() + "/ctl");
        told.put(c.device(), c.control().getRole().getRole());
      }
    }
    return told;
  }

  @Test
  void assign_newPrimary_demotesTheOldOne_tellsBoth_andRoutesThereNext() {
    final ApiResult r = byOwner(Map.of("dev3", ServerRole.PRIMARY));

    assertThat(r.response().getStatus()).as(r.response().getReason()).isEqualTo(200);
    assertThat(roles())
        .containsEntry("dev1", ServerRole.SECONDARY)
        .containsEntry("dev2", ServerRole.SECONDARY)
        .containsEntry("dev3", ServerRole.PRIMARY);
    assertThat(toldOnControl(r.directives()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("dev1", ServerRole.SECONDARY, "dev3", ServerRole.PRIMARY));
    final Decision.Forward next = (Decision.Forward) f.router.onRequest(request("echo.demo"));
    assertThat(next.device()).isEqualTo("dev3");
  }

  @Test
  void assign_newPrimary_aBoundSessionStays_aNewSessionGoesToTheNewPrimary() {
    final Decision.Forward first =
        (Decision.Forward) f.router.onRequest(request("echo.demo", Map.of("session", "s")));
    f.router.onReply(
        device("dev1"), "dev1", first.requestId(), RouterFixture.reply(first.requestId(), 200, ""));

    byOwner(Map.of("dev2", ServerRole.PRIMARY));

    final Decision.Forward bound =
        (Decision.Forward) f.router.onRequest(request("echo.demo", Map.of("session", "s")));
    final Decision.Forward fresh =
        (Decision.Forward) f.router.onRequest(request("echo.demo", Map.of("session", "t")));
    assertThat(bound.device()).isEqualTo("dev1");
    assertThat(fresh.device()).isEqualTo("dev2");
  }

  @Test
  void assign_volunteer_isToldAndKept_theRestUnchanged() {
    final ApiResult r = byOwner(Map.of("dev2", ServerRole.VOLUNTEER));

    assertThat(r.response().getStatus()).isEqualTo(200);
    assertThat(toldOnControl(r.directives()))
        .containsExactlyEntriesOf(Map.of("dev2", ServerRole.VOLUNTEER));
    assertThat(roles())
        .containsEntry("dev1", ServerRole.PRIMARY)
        .containsEntry("dev2", ServerRole.VOLUNTEER);
  }

  @Test
  void assign_sameRolesAgain_changesNothingAndTellsNoOne() {
    final ApiResult r = byOwner(Map.of("dev1", ServerRole.PRIMARY));
    assertThat(r.response().getStatus()).isEqualTo(200);
    assertThat(toldOnControl(r.directives())).isEmpty();
  }

  @Test
  void assign_survivesRestart() {
    byOwner(Map.of("dev2", ServerRole.PRIMARY, "dev3", ServerRole.VOLUNTEER));
    f.restart();
    assertThat(roles())
        .containsEntry("dev1", ServerRole.SECONDARY)
        .containsEntry("dev2", ServerRole.PRIMARY)
        .containsEntry("dev3", ServerRole.VOLUNTEER);
  }

  @Test
  void assign_byAnAdmin_isAllowed() {
    final Principal admin = new Principal("admin", IdentityRole.ADMIN, "admin-cli");
    final ApiResult r =
        f.router.onApi(
            admin, assign("demo", "echo", Map.of("dev2", ServerRole.PRIMARY)).toByteString());
    assertThat(r.response().getStatus()).isEqualTo(200);
    assertThat(roles()).containsEntry("dev2", ServerRole.PRIMARY);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(
            "a member who is not the owner",
            "dev2",
            "demo",
            "echo",
            Map.of("dev2", ServerRole.PRIMARY),
            403),
        Arguments.of(
            "an unknown community",
            "dev1",
            "nope",
            "echo",
            Map.of("dev2", ServerRole.PRIMARY),
            404),
        Arguments.of(
            "an unknown service", "dev1", "demo", "nope", Map.of("dev2", ServerRole.PRIMARY), 404),
        Arguments.of(
            "a device that does not serve",
            "dev1",
            "demo",
            "echo",
            Map.of("dev9", ServerRole.SECONDARY),
            404),
        Arguments.of(
            "the passive role", "dev1", "demo", "echo", Map.of("dev2", ServerRole.PASSIVE), 400),
        Arguments.of(
            "no role",
            "dev1",
            "demo",
            "echo",
            Map.of("dev2", ServerRole.SERVER_ROLE_UNSPECIFIED),
            400),
        Arguments.of("nothing to assign", "dev1", "demo", "echo", Map.of(), 400),
        Arguments.of(
            "two primaries",
            "dev1",
            "demo",
            "echo",
            Map.of("dev2", ServerRole.PRIMARY, "dev3", ServerRole.PRIMARY),
            400),
        Arguments.of(
            "no primary left", "dev1", "demo", "echo", Map.of("dev1", ServerRole.SECONDARY), 400));
  }

  @ParameterizedTest(name = "{0} is refused with {5}")
  @MethodSource("refusals")
  void assign_refused_changesNothing(
      final String why,
      final String who,
      final String community,
      final String service,
      final Map<String, ServerRole> roles,
      final int status) {
    final Map<String, ServerRole> before = roles();
    final ApiResult r =
        f.router.onApi(device(who), assign(community, service, roles).toByteString());
    assertThat(r.response().getStatus()).as(r.response().getReason()).isEqualTo(status);
    assertThat(r.directives()).isEmpty();
    assertThat(roles()).isEqualTo(before);
  }

  @Test
  void createCommunity_withMembers_isClosedToOthers_andMembersServeInRolesByHand() {
    final ApiResult created =
        f.router.onApi(
            device("ann"),
            GatewayRequest.newBuilder()
                .setCreateCommunity(CreateCommunity.newBuilder().setName("club").addMembers("bob"))
                .build()
                .toByteString());
    assertThat(created.response().getStatus()).isEqualTo(201);
    assertThat(created.response().getCommunity().getOpen()).isFalse();
    f.register("ann", "club", "chat");
    f.register("bob", "club", "chat");
    final ApiResult r =
        f.router.onApi(
            device("ann"),
            assign("club", "chat", Map.of("bob", ServerRole.PRIMARY)).toByteString());
    assertThat(r.response().getStatus()).isEqualTo(200);
    assertThat(toldOnControl(r.directives()))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("ann", ServerRole.SECONDARY, "bob", ServerRole.PRIMARY));
  }
}
