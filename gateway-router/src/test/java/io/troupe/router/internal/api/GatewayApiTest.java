package io.troupe.router.internal.api;

import static io.troupe.router.RouterFixture.device;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.CreateCommunity;
import io.troupe.proto.v1.DeregisterService;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.LeaveCommunity;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.ServerRole;
import io.troupe.router.ApiResult;
import io.troupe.router.Decision;
import io.troupe.router.Directive;
import io.troupe.router.LoginAttempt;
import io.troupe.router.LoginResult;
import io.troupe.router.Logins;
import io.troupe.router.Principal;
import io.troupe.router.RouterFixture;
import io.troupe.router.Status;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewayApiTest {

  private final RouterFixture f = new RouterFixture();
  private final Principal admin = new Principal("admin", IdentityRole.ADMIN, "admin-cli");

  private static GatewayRequest join(final String community, final boolean create) {
    return GatewayRequest.newBuilder()
        .setJoinCommunity(
            JoinCommunity.newBuilder().setCommunity(community).setCreateIfAbsent(create))
        .build();
  }

  private static GatewayRequest addIdentity(
      final String name, final IdentityRole role, final String password) {
    return GatewayRequest.newBuilder()
        .setAddIdentity(AddIdentity.newBuilder().setName(name).setRole(role).setPassword(password))
        .build();
  }

  @Test
  void naming_firstServiceCreatesDomain_laterServiceReusesIt() {
    final GatewayResponse movies = f.register("mum", "family", "movies");
    assertThat(movies.getStatus()).isEqualTo(201);
    assertThat(movies.getRegistration().getAddress()).isEqualTo("movies.family");
    assertThat(movies.getRegistration().getCreatedDomain()).isTrue();
    assertThat(movies.getRegistration().getCreatedService()).isTrue();

    final GatewayResponse calendar = f.register("mum", "family", "calendar");
    assertThat(calendar.getRegistration().getAddress()).isEqualTo("calendar.family");
    assertThat(calendar.getRegistration().getCreatedDomain()).isFalse();
    assertThat(calendar.getRegistration().getCreatedService()).isTrue();
  }

  @Test
  void register_firstIsPrimary_laterAreSecondary_againKeepsRole() {
    assertThat(f.register("dev1", "demo", "echo").getRegistration().getRole())
        .isEqualTo(ServerRole.PRIMARY);
    assertThat(f.register("dev2", "demo", "echo").getRegistration().getRole())
        .isEqualTo(ServerRole.SECONDARY);
    final GatewayResponse again = f.register("dev1", "demo", "echo");
    assertThat(again.getStatus()).isEqualTo(200);
    assertThat(again.getRegistration().getRole()).isEqualTo(ServerRole.PRIMARY);
  }

  @Test
  void deregister_primary_promotesTheNextServer() {
    f.register("dev1", "demo", "echo");
    f.register("dev2", "demo", "echo");
    final ApiResult result =
        f.router.onApi(
            device("dev1"),
            GatewayRequest.newBuilder()
                .setDeregisterService(
                    DeregisterService.newBuilder().setCommunity("demo").setService("echo"))
                .build()
                .toByteString());
    assertThat(result.response().getStatus()).isEqualTo(200);
    assertThat(f.register("dev2", "demo", "echo").getRegistration().getRole())
        .isEqualTo(ServerRole.PRIMARY);
    assertThat(result.directives())
        .as("the descriptor it left is cleared")
        .contains(new Directive.ClearRetained("troupe/c/demo/svc/echo/descriptor/dev1"));
    final List<Directive> published =
        result.directives().stream().filter(d -> !(d instanceof Directive.ClearRetained)).toList();
    assertThat(published).hasSize(2);
    assertThat(published.get(0))
        .isInstanceOfSatisfying(
            Directive.PublishServers.class,
            d -> {
              assertThat(d.topic()).isEqualTo("troupe/c/demo/svc/echo/servers");
              assertThat(d.list().getServersList())
                  .extracting(e -> e.getServer())
                  .containsExactly("dev2");
            });
    assertThat(published.get(1))
        .isInstanceOfSatisfying(
            Directive.SendControl.class,
            c -> {
              assertThat(c.device()).isEqualTo("dev2");
              assertThat(c.topic()).isEqualTo("troupe/d/dev2/ctl");
              assertThat(c.control().getRole().getRole()).isEqualTo(ServerRole.PRIMARY);
              assertThat(c.control().getAddress()).isEqualTo("echo.demo");
            });
  }

  @Test
  void register_withoutJoining_isRefused() {
    f.register("dev1", "demo", "echo");
    final GatewayResponse r =
        f.api(
            device("dev9"),
            GatewayRequest.newBuilder()
                .setRegisterService(
                    RegisterService.newBuilder().setCommunity("demo").setService("echo"))
                .build());
    assertThat(r.getStatus()).isEqualTo(403);
    assertThat(r.getReason()).contains("dev9");
  }

  @Test
  void join_memberList_admitsOnlyListedIdentities() {
    f.api(
        device("owner"),
        GatewayRequest.newBuilder()
            .setCreateCommunity(CreateCommunity.newBuilder().setName("club").addMembers("bob"))
            .build());
    assertThat(f.api(device("bob"), join("club", false)).getStatus()).isEqualTo(200);
    assertThat(f.api(device("eve"), join("club", false)).getStatus()).isEqualTo(403);
    assertThat(f.api(device("eve"), join("nowhere", false)).getStatus()).isEqualTo(404);
  }

  @Test
  void join_byConsumer_isRefused() {
    assertThat(f.api(RouterFixture.consumer("c1"), join("demo", true)).getStatus()).isEqualTo(403);
  }

  @Test
  void leave_removesTheServerFromEveryService() {
    f.register("dev1", "demo", "echo");
    assertThat(
            f.api(
                    device("dev1"),
                    GatewayRequest.newBuilder()
                        .setLeaveCommunity(LeaveCommunity.newBuilder().setCommunity("demo"))
                        .build())
                .getStatus())
        .isEqualTo(200);
    assertThat(f.router.onStatus(device("dev1"), "demo", "dev1", ByteString.EMPTY).status())
        .isEqualTo(Status.FORBIDDEN);
    assertThat(f.router.onRequest(RouterFixture.request("echo.demo")))
        .isInstanceOfSatisfying(Decision.Answer.class, a -> assertThat(a.code()).isEqualTo(503));
  }

  @Test
  void badInput_isRefusedAndChangesNothing() {
    final int saves = f.store.saves;
    assertThat(
            f.router
                .onApi(device("dev1"), ByteString.copyFromUtf8("\u00ff\u0001garbage"))
                .response()
                .getStatus())
        .isEqualTo(400);
    assertThat(f.api(device("dev1"), join("Bad Name", true)).getStatus()).isEqualTo(400);
    assertThat(f.api(device("dev1"), GatewayRequest.getDefaultInstance()).getStatus())
        .isEqualTo(400);
    assertThat(f.store.saves).isEqualTo(saves);
  }

  @Test
  void identities_onlyAdminAdds_andTheyAuthenticate() {
    f.router.addAdmin("admin", "s3cret");
    assertThat(f.api(device("dev1"), addIdentity("bob", IdentityRole.CONSUMER, "")).getStatus())
        .isEqualTo(403);
    final GatewayResponse added = f.api(admin, addIdentity("bob", IdentityRole.CONSUMER, ""));
    assertThat(added.getStatus()).isEqualTo(201);
    final String password = added.getIdentity().getPassword();
    assertThat(password).hasSizeGreaterThanOrEqualTo(20);
    assertThat(f.api(admin, addIdentity("bob", IdentityRole.CONSUMER, "")).getStatus())
        .isEqualTo(409);

    assertThat(authenticate("any-client", "bob", password).principal())
        .hasValueSatisfying(p -> assertThat(p.role()).isEqualTo(IdentityRole.CONSUMER));
    assertThat(authenticate("any-client", "bob", "wrong").principal()).isEmpty();
    assertThat(authenticate("any-client", "nobody", "x").reason())
        .isEqualTo("bad user name or password");
    assertThat(
            new Logins(f.router, RouterFixture.LOGINS, f.clock, Runnable::run)
                .login(new LoginAttempt("c", Optional.empty(), Optional.empty(), "127.0.0.1"))
                .join()
                .principal())
        .isEmpty();
  }

  @Test
  void authenticate_deviceSessionOnlyWhenClientIdIsItsName() {
    f.router.addAdmin("admin", "s3cret");
    f.api(admin, addIdentity("dev1", IdentityRole.DEVICE, "pw-dev1"));
    assertThat(authenticate("dev1", "dev1", "pw-dev1").principal().orElseThrow().isDevice())
        .isTrue();
    assertThat(authenticate("dev1-call", "dev1", "pw-dev1").principal().orElseThrow().isDevice())
        .isFalse();
    assertThat(authenticate("a/b", "dev1", "pw-dev1").principal()).isEmpty();
  }

  @Test
  void restart_keepsIdentitiesCommunitiesServicesAndRoles() {
    f.router.addAdmin("admin", "s3cret");
    f.api(admin, addIdentity("bob", IdentityRole.CONSUMER, "pw"));
    f.register("dev1", "demo", "echo");
    f.register("dev2", "demo", "echo");

    f.restart();

    assertThat(f.router.hasAdmin()).isTrue();
    assertThat(authenticate("c", "bob", "pw").principal()).isPresent();
    assertThat(f.register("dev2", "demo", "echo").getRegistration().getRole())
        .isEqualTo(ServerRole.SECONDARY);
    f.online("dev1", "demo");
    assertThat(f.router.onRequest(RouterFixture.request("echo.demo")))
        .isInstanceOfSatisfying(
            Decision.Forward.class, d -> assertThat(d.device()).isEqualTo("dev1"));
  }

  @Test
  void storeFailure_undoesTheChangeAndAnswers500() {
    f.store.failing = true;
    final GatewayResponse r = f.api(device("dev1"), join("demo", true));
    assertThat(r.getStatus()).isEqualTo(500);
    assertThat(r.getReason()).contains("could not save");
    f.store.failing = false;
    assertThat(f.api(device("dev1"), join("demo", false)).getStatus()).isEqualTo(404);
  }

  private LoginResult authenticate(
      final String clientId, final String user, final String password) {
    return new Logins(f.router, RouterFixture.LOGINS, f.clock, Runnable::run)
        .login(
            new LoginAttempt(
                clientId,
                Optional.of(user),
                Optional.of(password.getBytes(StandardCharsets.UTF_8)),
                "127.0.0.1"))
        .join();
  }
}
