package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.troupe.contract.TopicKind;
import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.ClearRetained;
import io.troupe.proto.v1.CreateCommunity;
import io.troupe.proto.v1.DeleteCommunity;
import io.troupe.proto.v1.DeleteService;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.RemoveIdentity;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.UpdateCommunity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Closed communities, cleaning up after devices and identities, limits, and Will checks. */
class CommunityRulesTest {

  private final RouterFixture f = new RouterFixture();
  private final Principal admin = new Principal("admin", IdentityRole.ADMIN, "admin-cli");

  private static GatewayRequest join(final String community) {
    return GatewayRequest.newBuilder()
        .setJoinCommunity(
            JoinCommunity.newBuilder().setCommunity(community).setCreateIfAbsent(true))
        .build();
  }

  private static GatewayRequest update(final UpdateCommunity.Builder op) {
    return GatewayRequest.newBuilder().setUpdateCommunity(op).build();
  }

  @Test
  void join_createdByAgentWithoutList_isClosedToOthers() {
    assertThat(f.api(device("dev1"), join("demo")).getStatus()).isEqualTo(201);
    final GatewayResponse intruder = f.api(device("mallory"), join("demo"));
    assertThat(intruder.getStatus()).isEqualTo(403);
    assertThat(intruder.getReason()).contains("closed community 'demo'");
  }

  @Test
  void join_openCommunity_admitsAnyDevice_onlyWhenTheOwnerAskedForIt() {
    f.api(
        device("dev1"),
        GatewayRequest.newBuilder()
            .setCreateCommunity(CreateCommunity.newBuilder().setName("pub").setOpen(true))
            .build());
    assertThat(f.api(device("anyone"), join("pub")).getStatus()).isEqualTo(200);
  }

  @Test
  void update_ownerAddsMember_thenRemovingItEvictsItsServers() {
    f.register("dev1", "demo", "echo");
    f.register("dev2", "demo", "echo");
    final ApiResult removed =
        f.router.onApi(
            device("dev1"),
            update(UpdateCommunity.newBuilder().setCommunity("demo").addRemoveMembers("dev2"))
                .toByteString());
    assertThat(removed.response().getStatus()).isEqualTo(200);
    assertThat(removed.response().getCommunity().getMembersList()).containsExactly("dev1");
    assertThat(removed.directives())
        .contains(
            new Directive.ClearRetained("troupe/c/demo/status/dev2"),
            new Directive.ClearRetained("troupe/c/demo/svc/echo/descriptor/dev2"));
    assertThat(f.api(device("dev2"), join("demo")).getStatus()).isEqualTo(403);
  }

  @Test
  void update_byNonOwner_isRefusedAndChangesNothing() {
    f.register("dev1", "demo", "echo");
    final int saves = f.store.saves;
    assertThat(
            f.api(
                    device("dev2"),
                    update(UpdateCommunity.newBuilder().setCommunity("demo").addAddMembers("dev2")))
                .getStatus())
        .isEqualTo(403);
    assertThat(f.store.saves).isEqualTo(saves);
  }

  @Test
  void deleteCommunity_byOwner_removesServicesAndClearsItsRetainedTopics() {
    f.register("dev1", "demo", "echo");
    final ApiResult deleted =
        f.router.onApi(
            device("dev1"),
            GatewayRequest.newBuilder()
                .setDeleteCommunity(DeleteCommunity.newBuilder().setCommunity("demo"))
                .build()
                .toByteString());
    assertThat(deleted.response().getStatus()).isEqualTo(200);
    assertThat(deleted.directives())
        .containsExactly(new Directive.ClearRetained("troupe/c/demo/#"));
    assertThat(((Decision.Answer) f.router.onRequest(RouterFixture.request("echo.demo"))).code())
        .isEqualTo(404);
    f.restart();
    assertThat(((Decision.Answer) f.router.onRequest(RouterFixture.request("echo.demo"))).code())
        .as("deleted for good")
        .isEqualTo(404);
  }

  @Test
  void deleteService_byAdmin_clearsTheServiceTopics_byStranger_isRefused() {
    f.register("dev1", "demo", "echo");
    final GatewayRequest delete =
        GatewayRequest.newBuilder()
            .setDeleteService(DeleteService.newBuilder().setCommunity("demo").setService("echo"))
            .build();
    assertThat(f.api(device("dev2"), delete).getStatus()).isEqualTo(403);
    final ApiResult done = f.router.onApi(admin, delete.toByteString());
    assertThat(done.response().getStatus()).isEqualTo(200);
    assertThat(done.directives())
        .containsExactly(new Directive.ClearRetained("troupe/c/demo/svc/echo/#"));
  }

  @Test
  void clearRetained_adminAnywhereUnderCommunities_ownerOnlyInItsOwn() {
    f.register("dev1", "demo", "echo");
    final GatewayRequest ghost = clear("troupe/c/ghost/#");
    assertThat(f.api(device("dev1"), ghost).getStatus()).isEqualTo(403);
    assertThat(f.router.onApi(admin, ghost.toByteString()).directives())
        .containsExactly(new Directive.ClearRetained("troupe/c/ghost/#"));
    assertThat(f.api(device("dev1"), clear("troupe/c/demo/status/+")).getStatus()).isEqualTo(200);
    assertThat(f.api(admin, clear("troupe/d/dev1/#")).getStatus()).isEqualTo(400);
    assertThat(f.api(admin, clear("troupe/c/a#")).getStatus()).isEqualTo(400);
  }

  private static GatewayRequest clear(final String filter) {
    return GatewayRequest.newBuilder()
        .setClearRetained(ClearRetained.newBuilder().setTopicFilter(filter))
        .build();
  }

  @Test
  void removeIdentity_endsSessions_leavesEveryList_promotes_andReAddingGivesNothingBack() {
    f.api(admin, addDevice("dev1"));
    f.register("dev1", "demo", "echo");
    f.register("dev2", "demo", "echo");
    f.online("dev1", "demo");
    f.router.onConnected(new Principal("dev1", IdentityRole.DEVICE, "dev1-cli"), 77);

    final ApiResult removed =
        f.router.onApi(
            admin,
            GatewayRequest.newBuilder()
                .setRemoveIdentity(RemoveIdentity.newBuilder().setName("dev1"))
                .build()
                .toByteString());

    assertThat(removed.response().getStatus()).isEqualTo(200);
    assertThat(removed.directives())
        .filteredOn(d -> d instanceof Directive.Disconnect)
        .extracting(d -> ((Directive.Disconnect) d).clientId())
        .containsExactlyInAnyOrder("dev1", "dev1-cli");
    assertThat(removed.directives())
        .filteredOn(d -> d instanceof Directive.PublishServers)
        .extracting(d -> ((Directive.PublishServers) d).list().getServersList())
        .singleElement()
        .satisfies(list -> assertThat(list).extracting(e -> e.getServer()).containsExactly("dev2"));
    assertThat(removed.directives())
        .filteredOn(d -> d instanceof Directive.SendControl)
        .extracting(d -> ((Directive.SendControl) d).device())
        .containsExactly("dev2");

    assertThat(f.api(admin, addDevice("dev1")).getStatus()).isEqualTo(201);
    assertThat(f.api(device("dev1"), join("demo")).getStatus())
        .as("the re-added name is a stranger to the closed community it owned")
        .isEqualTo(403);
    assertThat(f.register("dev2", "demo", "echo").getRegistration().getRole())
        .isEqualTo(ServerRole.PRIMARY);
  }

  private static GatewayRequest addDevice(final String name) {
    return GatewayRequest.newBuilder()
        .setAddIdentity(AddIdentity.newBuilder().setName(name).setRole(IdentityRole.DEVICE))
        .build();
  }

  @Test
  void limits_membersCommunitiesAndServices_areRefusedWithTheSettingNamed() {
    f.restartWith(f.config.withLimits(new Limits(2, 1, 1)));
    f.register("dev1", "demo", "echo");
    final GatewayResponse second = f.api(device("dev1"), join("other"));
    assertThat(second.getStatus()).isEqualTo(403);
    assertThat(second.getReason()).contains("max-communities-per-identity");
    final GatewayResponse twoServices = f.register("dev1", "demo", "calendar");
    assertThat(twoServices.getReason()).contains("max-services-per-identity");
    assertThat(
            f.api(
                    device("dev1"),
                    GatewayRequest.newBuilder()
                        .setDeregisterService(
                            io.troupe.proto.v1.DeregisterService.newBuilder()
                                .setCommunity("demo")
                                .setService("echo"))
                        .build())
                .getStatus())
        .isEqualTo(200);
    assertThat(f.register("dev1", "demo", "calendar").getStatus())
        .as("a deregistered service no longer counts")
        .isEqualTo(201);
    final GatewayResponse tooMany =
        f.api(
            device("dev1"),
            update(
                UpdateCommunity.newBuilder()
                    .setCommunity("demo")
                    .addAddMembers("a")
                    .addAddMembers("b")
                    .addAddMembers("c")));
    assertThat(tooMany.getStatus()).isEqualTo(403);
    assertThat(tooMany.getReason()).contains("max-members");
  }

  @Test
  void report_overThePayloadLimit_isRefused413() {
    f.register("dev1", "demo", "echo");
    final ByteString big =
        StatusMessage.newBuilder()
            .setDeviceId("dev1")
            .setNetworkAddress("x".repeat(f.config.maxPayloadBytes()))
            .build()
            .toByteString();
    assertThat(f.router.onStatus(device("dev1"), "demo", "dev1", big).status())
        .isEqualTo(Status.PAYLOAD_TOO_LARGE);
  }

  @Test
  void will_getsTheChecksOfALiveReport() {
    f.register("dev1", "demo", "echo");
    final ByteString offline =
        StatusMessage.newBuilder()
            .setDeviceId("dev1")
            .setAvailability(Availability.OFFLINE)
            .build()
            .toByteString();
    assertThat(f.router.checkWill(device("dev1"), new TopicKind.Status("demo", "dev1"), offline))
        .isEqualTo(Verdict.allowed());
    assertThat(
            f.router
                .checkWill(device("mallory"), new TopicKind.Status("demo", "mallory"), offline)
                .reason())
        .contains("not a member");
    assertThat(
            f.router
                .checkWill(device("dev1"), new TopicKind.Status("ghost", "dev1"), offline)
                .status())
        .isEqualTo(Status.FORBIDDEN);
    assertThat(
            f.router
                .checkWill(
                    device("dev1"),
                    new TopicKind.Status("demo", "dev1"),
                    ByteString.copyFromUtf8("junk"))
                .status())
        .isEqualTo(Status.BAD_REQUEST);
    assertThat(
            f.router
                .checkWill(
                    device("dev1"),
                    new TopicKind.Descriptor("demo", "nothing", "dev1"),
                    ServiceDescriptor.getDefaultInstance().toByteString())
                .status())
        .isEqualTo(Status.NOT_FOUND);
  }

  @Test
  void descriptor_fromAMemberThatDoesNotServe_isRefusedAndNotSaved() {
    f.register("owner", "demo", "echo");
    f.join("member", "demo");
    final int saves = f.store.saves;
    final Verdict verdict =
        f.router.onDescriptor(
            device("member"),
            "demo",
            "echo",
            "member",
            ServiceDescriptor.newBuilder().setVersion(9).build().toByteString());
    assertThat(verdict.status()).isEqualTo(Status.FORBIDDEN);
    assertThat(verdict.reason()).contains("only its servers describe it");
    assertThat(f.store.saves).isEqualTo(saves);
    assertThat(
            f.router
                .checkWill(
                    device("member"),
                    new TopicKind.Descriptor("demo", "echo", "member"),
                    ServiceDescriptor.getDefaultInstance().toByteString())
                .status())
        .isEqualTo(Status.FORBIDDEN);
  }

  @Test
  void disconnect_ofADevice_publishesItOfflineInItsCommunities() {
    f.register("dev1", "demo", "echo");
    f.online("dev1", "demo");
    final Departure gone = f.router.onDisconnected(device("dev1"), f.connectionOf("dev1"));
    assertThat(gone.directives())
        .filteredOn(d -> d instanceof Directive.PublishStatus)
        .singleElement()
        .satisfies(
            d -> {
              final Directive.PublishStatus s = (Directive.PublishStatus) d;
              assertThat(s.topic()).isEqualTo("troupe/c/demo/status/dev1");
              assertThat(s.status().getAvailability()).isEqualTo(Availability.OFFLINE);
            });
    assertThat(List.copyOf(gone.directives())).anyMatch(d -> d instanceof Directive.PublishServers);
  }
}
