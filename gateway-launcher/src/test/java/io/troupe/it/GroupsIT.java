package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.api.CallOptions;
import io.troupe.agent.api.CallResult;
import io.troupe.agent.api.ContentStore;
import io.troupe.agent.api.DirectoryHandler;
import io.troupe.agent.api.Registration;
import io.troupe.agent.api.ServiceHandler;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.api.TroupeAgentBuilder;
import io.troupe.agent.api.TroupeConsumer;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.BrowseServices;
import io.troupe.proto.v1.CommunityInfo;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.CreateCommunity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.ShowTable;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.TunnelRequest;
import io.troupe.proto.v1.TunnelResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Communities formed from a group of a real LDAP directory (R16), on the JVM's shared gateway and
 * its {@link SharedDirectory} (read every second): the group's members join and serve; a member
 * removed from the group loses its place within a refresh; an unreachable directory is reported and
 * the members kept; a present member that volunteers answers a request that had no server.
 * Everything it creates starts with {@code grps-}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupsIT {

  private static final Duration REFRESH = Duration.ofSeconds(5);
  private static GatewayFixture gw;
  private static SharedDirectory ldap;

  @BeforeAll
  static void start() throws Exception {
    gw = SharedGateway.fixture();
    ldap = SharedDirectory.get();
  }

  @Test
  void groupMembers_joinTheCommunity_andServe_othersDoNot() throws Exception {
    final String alice = person("grps-alice");
    final String mallory = gw.addIdentity("grps-mallory", IdentityRole.DEVICE);
    groupedCommunity("grps-crew", "grps-alice");

    try (TroupeAgent agent = agent("grps-alice", alice, "grps-crew")) {
      assertThat(agent.startBlocking()).extracting(Registration::service).containsExactly("echo");
    }
    assertThat(join("grps-mallory", mallory, "grps-crew").getStatus()).isEqualTo(403);
  }

  @Test
  void memberRemovedFromTheGroup_losesItsPlaceWithinARefresh() throws Exception {
    final String carol = person("grps-carol");
    groupedCommunity("grps-leave", "grps-carol");
    try (TroupeAgent agent = agent("grps-carol", carol, "grps-leave")) {
      agent.startBlocking();
      assertThat(servers("grps-leave")).containsExactly("grps-carol");

      ldap.removeMember("grps-leave", "grps-carol");

      await("grps-carol loses its place")
          .atMost(REFRESH)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !show("grps-leave").getAllowedList().contains("grps-carol"));
      final CommunityInfo leave = show("grps-leave");
      assertThat(leave.getMembersList()).doesNotContain("grps-carol");
      assertThat(leave.getGroupMembersList()).isEmpty();
      assertThat(servers("grps-leave")).isEmpty();
    }
    assertThat(join("grps-carol", carol, "grps-leave").getStatus()).isEqualTo(403);
  }

  @Test
  void directoryStopped_isReported_membersKept_andRecoversWhenItIsBack() throws Exception {
    person("grps-dave");
    groupedCommunity("grps-down", "grps-dave");

    ldap.stop();
    try {
      await("the directory's outage is reported")
          .atMost(REFRESH)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> show("grps-down").getGroupStatus().contains("could not be read"));
      assertThat(show("grps-down").getAllowedList()).containsExactly("grps-dave");
    } finally {
      ldap.start();
    }
    await("the directory is read again")
        .atMost(REFRESH)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> show("grps-down").getGroupStatus().equals("read 1 members"));
    assertThat(show("grps-down").getAllowedList()).containsExactly("grps-dave");
  }

  /**
   * A raw Paho device plays the volunteer: it lists the service in {@code volunteer_services}; told
   * {@code Control.volunteer}, it registers, reports itself available and answers the request the
   * gateway held for it. The routing to volunteers is the router's (issue 15, part F).
   */
  @Test
  void presentGroupMemberThatVolunteers_answersARequestThatHadNoServer() throws Exception {
    final String vol = person("grps-vol");
    final String user = gw.addIdentity("grps-user", IdentityRole.CONSUMER);
    groupedCommunity("grps-vc", "grps-vol");
    // the service exists, but its only server (the admin, as the community's owner) never comes
    assertThat(gw.api(registerRequest()).getStatus()).isIn(200, 201);
    try (MqttTestClient device = MqttTestClient.connect(gw.port(), "grps-vol", "grps-vol", vol);
        MqttTestClient consumer =
            MqttTestClient.connect(gw.port(), "grps-user", "grps-user", user)) {
      device.subscribe("troupe/d/grps-vol/#");
      device.subscribe("troupe/r/grps-vol/#");
      consumer.subscribe("troupe/r/grps-user/#");
      assertThat(api(device, joinRequest("grps-vc")).getStatus()).isEqualTo(200);
      status(device, Availability.AVAILABLE);

      final MqttTestClient.Sent sent = consumer.request("echo.grps-vc", "hello");

      awaitMessage(
          device,
          "troupe/d/grps-vol/ctl",
          m -> Control.parseFrom(m.body()).hasVolunteer(),
          "the gateway asks grps-vol to volunteer (Control.volunteer)");
      assertThat(api(device, registerRequest()).getStatus()).isIn(200, 201);
      status(device, Availability.AVAILABLE);
      final MqttTestClient.Answer forwarded =
          awaitMessage(
              device, "troupe/d/grps-vol/req", m -> true, "the held request reaches grps-vol");
      answer(device, forwarded, "volunteered: ");

      final MqttTestClient.Answer answer = sent.answer().get(10, TimeUnit.SECONDS);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.text()).isEqualTo("volunteered: hello");
    }
  }

  /**
   * The same with real agents and content: the only server of a folder service is present but has
   * its share disabled; a group member's agent that volunteers for the service is asked, registers,
   * fetches the folder's file from that server (sync fetches ignore the share), and only then says
   * it is available and answers the held request with the file.
   */
  @Test
  void volunteerAgent_fetchesTheContentFirst_andAnswersTheHeldRequest() throws Exception {
    final String primaryPassword = person("grps-pri");
    final String volunteerPassword = person("grps-av");
    groupedCommunity("grps-vf", "grps-pri", "grps-av");
    final Path home = Files.createDirectories(Path.of("target", "it", "grps-" + System.nanoTime()));
    final Path primaryDir = Files.createDirectories(home.resolve("primary"));
    Files.writeString(primaryDir.resolve("hello.txt"), "from the primary");
    final ContentStore primaryStore = ContentStore.folder(primaryDir);
    final ContentStore volunteerStore =
        ContentStore.folder(Files.createDirectories(home.resolve("volunteer")));
    try (TroupeAgent primary = folderAgent("grps-pri", primaryPassword, primaryStore).build();
        TroupeAgent volunteer =
            folderAgent("grps-av", volunteerPassword, volunteerStore).volunteer("files").build();
        TroupeConsumer consumer =
            TroupeConsumer.builder()
                .port(gw.port())
                .user("grps-reader")
                .password(gw.addIdentity("grps-reader", IdentityRole.CONSUMER))
                .build()) {
      primary.startBlocking();
      volunteer.startBlocking();
      consumer.connect().get(10, TimeUnit.SECONDS);
      // the primary holds the file but serves no one
      primary.setServiceEnabled("files", false).get(10, TimeUnit.SECONDS);
      await("the gateway knows grps-pri's share is disabled")
          .atMost(REFRESH)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !usable("grps-vf", "grps-pri"));

      final CallResult served =
          consumer.callBlocking(
              "files.grps-vf",
              new byte[0],
              CallOptions.defaults().withMethod("GET").withPath("/hello.txt"));

      assertThat(served.isSuccess()).as(served.toString()).isTrue();
      assertThat(served.text()).isEqualTo("from the primary");
      assertThat(served.server()).contains("grps-av");
      assertThat(Files.readString(home.resolve("volunteer").resolve("hello.txt")))
          .isEqualTo("from the primary");
    }
  }

  private static TroupeAgentBuilder folderAgent(
      final String device, final String password, final ContentStore store) {
    return TroupeAgent.builder()
        .port(gw.port())
        .deviceId(device)
        .password(password)
        .community("grps-vf")
        .statusInterval(Duration.ofMillis(500))
        .service("files", new DirectoryHandler(store))
        .content("files", store);
  }

  /** Whether {@code device} is an enabled server of {@code files} in {@code community}. */
  private static boolean usable(final String community, final String device) throws Exception {
    return gw
        .api(
            GatewayRequest.newBuilder()
                .setShowTable(ShowTable.newBuilder().setCommunity(community).setService("files"))
                .build())
        .getTable()
        .getServersList()
        .stream()
        .anyMatch(r -> r.getServer().equals(device) && r.getEnabled());
  }

  // ------------------------------------------------------------------ helpers

  /** An identity of the gateway that is also a person of the directory; its password. */
  private static String person(final String name) throws Exception {
    ldap.addPerson(name);
    return gw.addIdentity(name, IdentityRole.DEVICE);
  }

  /** A community owned by the admin, formed from a new group of {@code members}, read once. */
  private static void groupedCommunity(final String name, final String... members)
      throws Exception {
    ldap.addGroup(name, members);
    final GatewayResponse created =
        gw.api(
            GatewayRequest.newBuilder()
                .setCreateCommunity(
                    CreateCommunity.newBuilder()
                        .setName(name)
                        .setGroup(SharedDirectory.group(name)))
                .build());
    assertThat(created.getStatus()).as(created.getReason()).isEqualTo(201);
    await(name + " is read from the directory")
        .atMost(REFRESH)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> show(name).getAllowedList().containsAll(List.of(members)));
  }

  private static CommunityInfo show(final String community) throws Exception {
    return gw.api(
            GatewayRequest.newBuilder()
                .setBrowseServices(BrowseServices.newBuilder().setCommunity(community))
                .build())
        .getBrowse()
        .getCommunities(0);
  }

  /** The servers of {@code echo} in {@code community}, as the admin's table shows them. */
  private static List<String> servers(final String community) throws Exception {
    return gw
        .api(
            GatewayRequest.newBuilder()
                .setShowTable(ShowTable.newBuilder().setCommunity(community).setService("echo"))
                .build())
        .getTable()
        .getServersList()
        .stream()
        .map(io.troupe.proto.v1.LoadRow::getServer)
        .toList();
  }

  private static TroupeAgent agent(final String device, final String password, final String c) {
    return TroupeAgent.builder()
        .port(gw.port())
        .deviceId(device)
        .password(password)
        .community(c)
        .statusInterval(Duration.ofMillis(500))
        .service("echo", ServiceHandler.echo())
        .build();
  }

  private static GatewayRequest joinRequest(final String community) {
    return GatewayRequest.newBuilder()
        .setJoinCommunity(JoinCommunity.newBuilder().setCommunity(community))
        .build();
  }

  /** {@code device} asks to join {@code community} on a connection of its own. */
  private static GatewayResponse join(
      final String device, final String password, final String community) throws Exception {
    try (MqttTestClient client =
        MqttTestClient.connect(gw.port(), device + "-join", device, password)) {
      client.subscribe("troupe/r/" + client.clientId + "/#");
      return api(client, joinRequest(community));
    }
  }

  private static GatewayResponse api(final MqttTestClient client, final GatewayRequest request)
      throws Exception {
    return GatewayResponse.parseFrom(
        client
            .requestBytes(
                "troupe/gw/api", request.toByteArray(), "troupe/r/" + client.clientId + "/api")
            .get(10, TimeUnit.SECONDS)
            .body());
  }

  /** grps-vol's status in grps-vc: it volunteers for echo. */
  private static void status(final MqttTestClient device, final Availability availability)
      throws Exception {
    device.publish(
        "troupe/c/grps-vc/status/grps-vol",
        StatusMessage.newBuilder()
            .setDeviceId("grps-vol")
            .setAvailability(availability)
            .addVolunteerServices("echo")
            .setSentAtMs(System.currentTimeMillis())
            .build()
            .toByteArray(),
        true);
  }

  private static GatewayRequest registerRequest() {
    return GatewayRequest.newBuilder()
        .setRegisterService(RegisterService.newBuilder().setCommunity("grps-vc").setService("echo"))
        .build();
  }

  /** A message is a test of what arrived: unparseable is no match. */
  private interface Match {
    boolean test(MqttTestClient.Answer message) throws Exception;
  }

  /** The first message on {@code topic} that {@code match}es, within the request's deadline. */
  private static MqttTestClient.Answer awaitMessage(
      final MqttTestClient client, final String topic, final Match match, final String what) {
    return await(what)
        .atMost(Duration.ofMillis(GatewayFixture.DEADLINE_MS))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                client.received.stream()
                    .filter(m -> m.topic().equals(topic) && matches(match, m))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  private static boolean matches(final Match match, final MqttTestClient.Answer message) {
    try {
      return match.test(message);
    } catch (final Exception e) {
      return false;
    }
  }

  /** Answers a forwarded request with {@code prefix} and its body, as a device does. */
  private static void answer(
      final MqttTestClient device, final MqttTestClient.Answer forwarded, final String prefix)
      throws Exception {
    final TunnelRequest request = TunnelRequest.parseFrom(forwarded.body());
    final MqttProperties out = new MqttProperties();
    out.setCorrelationData(forwarded.correlation());
    final byte[] reply =
        TunnelResponse.newBuilder()
            .setRequestId(request.getRequestId())
            .setStatus(200)
            .setBody(
                com.google.protobuf.ByteString.copyFrom(
                    prefix + request.getBody().toStringUtf8(), StandardCharsets.UTF_8))
            .build()
            .toByteArray();
    device
        .client
        .publish(
            io.troupe.contract.Topics.withDefaultRoot().gatewayReply("grps-vol"),
            new MqttMessage(reply, 1, false, out))
        .waitForCompletion(5_000);
  }
}
