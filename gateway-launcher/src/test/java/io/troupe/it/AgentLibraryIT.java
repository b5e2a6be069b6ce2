package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.api.CallOptions;
import io.troupe.agent.api.CallResult;
import io.troupe.agent.api.DirectoryHandler;
import io.troupe.agent.api.Registration;
import io.troupe.agent.api.ServiceResponse;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.api.TroupeConsumer;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.DistributionList;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.ServiceDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The agent library and the consumer library, in process, against the real gateway. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentLibraryIT {

  private static GatewayFixture gw;
  private static TroupeAgent first;
  private static TroupeAgent second;
  private static TroupeConsumer consumer;
  private static String watcherPassword;

  private static TroupeAgent agent(final String device, final String password) throws Exception {
    final Path album = Files.createDirectories(gw.home.resolve(device + "-album"));
    Files.writeString(album.resolve("hello.txt"), "hello from " + device);
    final DirectoryHandler files = new DirectoryHandler(album);
    return TroupeAgent.builder()
        .port(gw.port())
        .deviceId(device)
        .password(password)
        .community("lib")
        .members("lib1", "lib2", "watcher")
        .statusInterval(Duration.ofMillis(500))
        .service(
            "whoami",
            request -> {
              if (request.path().equals("/fail")) {
                throw new IllegalStateException("asked to fail");
              }
              final String who =
                  device
                      + " serves "
                      + request.method()
                      + " "
                      + request.path()
                      + " for "
                      + request.consumer();
              return CompletableFuture.completedFuture(
                  ServiceResponse.ok(who.getBytes(StandardCharsets.UTF_8), "text/plain"));
            })
        .service("files", files, files.descriptor("files"))
        .build();
  }

  @BeforeAll
  static void start() throws Exception {
    gw = GatewayFixture.start("library");
    first = agent("lib1", gw.addIdentity("lib1", IdentityRole.DEVICE));
    second = agent("lib2", gw.addIdentity("lib2", IdentityRole.DEVICE));
    watcherPassword = gw.addIdentity("watcher", IdentityRole.DEVICE);
    final List<Registration> firsts = first.startBlocking();
    assertThat(firsts).extracting(Registration::address).containsExactly("whoami.lib", "files.lib");
    assertThat(firsts).extracting(Registration::role).containsOnly(ServerRole.PRIMARY);
    assertThat(second.startBlocking())
        .extracting(Registration::role)
        .containsOnly(ServerRole.SECONDARY);
    consumer =
        TroupeConsumer.builder()
            .port(gw.port())
            .user("erin")
            .password(gw.addIdentity("erin", IdentityRole.CONSUMER))
            .build();
    consumer.connect().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    consumer.close();
    first.close();
    second.close();
    gw.closeInBackground();
  }

  private static CallResult call(final String address, final CallOptions options) throws Exception {
    return consumer.call(address, new byte[0], options).get(15, TimeUnit.SECONDS);
  }

  @Test
  void call_tunnelsMethodPathAndConsumerToThePrimary() throws Exception {
    final CallResult r =
        call("whoami.lib", CallOptions.defaults().withMethod("GET").withPath("/x"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).isEqualTo("lib1 serves GET /x for erin");
    assertThat(r.server()).contains("lib1");
  }

  @Test
  void call_handlerThrows_consumerGets500WithTheReason() throws Exception {
    final CallResult r = call("whoami.lib", CallOptions.defaults().withPath("/fail"));
    assertThat(r.status()).isEqualTo(500);
    assertThat(r.reason()).contains("asked to fail");
  }

  @Test
  void call_namedServer_reachesThatServerOnly() throws Exception {
    assertThat(call("lib2.whoami.lib", CallOptions.defaults()).server()).contains("lib2");
  }

  @Test
  void serveDir_answersTheFileByPath() throws Exception {
    final CallResult r =
        call("files.lib", CallOptions.defaults().withMethod("GET").withPath("/hello.txt"));
    assertThat(r.text()).isEqualTo("hello from lib1");
    assertThat(r.contentType()).isEqualTo("text/plain");
    assertThat(call("files.lib", CallOptions.defaults().withPath("/../../etc/passwd")).status())
        .isEqualTo(403);
  }

  @Test
  void session_servedBySecondaryWhilePrimaryBusy_staysThereAfterPrimaryReturns() throws Exception {
    first.setAvailability(Availability.BUSY).get(5, TimeUnit.SECONDS);
    try {
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  call("whoami.lib", CallOptions.defaults().withSession("trip"))
                      .server()
                      .orElse("")
                      .equals("lib2"));
    } finally {
      first.setAvailability(Availability.AVAILABLE).get(5, TimeUnit.SECONDS);
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> call("whoami.lib", CallOptions.defaults()).server().orElse("").equals("lib1"));
    assertThat(call("whoami.lib", CallOptions.defaults().withSession("trip")).server())
        .contains("lib2");
  }

  @Test
  void members_seeDescriptorsAndTheDistributionList() throws Exception {
    try (MqttTestClient watcher =
        MqttTestClient.connect(gw.port(), "watcher", "watcher", watcherPassword)) {
      watcher.subscribe("troupe/r/watcher/#");
      assertThat(
              GatewaySecurityIT.api(
                      watcher,
                      GatewayRequest.newBuilder()
                          .setJoinCommunity(JoinCommunity.newBuilder().setCommunity("lib"))
                          .build())
                  .getStatus())
          .isEqualTo(200);
      assertThat(watcher.subscribe("troupe/c/lib/svc/files/descriptor/+")).isLessThan(0x80);
      assertThat(watcher.subscribe("troupe/c/lib/svc/whoami/servers")).isLessThan(0x80);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  watcher.received.stream().filter(a -> a.topic().endsWith("/servers")).count() >= 1
                      && watcher.received.stream()
                              .filter(a -> a.topic().contains("/descriptor/"))
                              .count()
                          >= 2);
      final ServiceDescriptor d =
          ServiceDescriptor.parseFrom(
              watcher.received.stream()
                  .filter(a -> a.topic().endsWith("/descriptor/lib1"))
                  .findFirst()
                  .orElseThrow()
                  .body());
      assertThat(d.getItemsList()).extracting(i -> i.getName()).containsExactly("hello.txt");
      assertThat(d.getItems(0).getSha256().size()).isEqualTo(32);
      final DistributionList list =
          DistributionList.parseFrom(
              watcher.received.stream()
                  .filter(a -> a.topic().endsWith("/servers"))
                  .findFirst()
                  .orElseThrow()
                  .body());
      assertThat(list.getAddress()).isEqualTo("whoami.lib");
      assertThat(list.getServersList())
          .extracting(e -> e.getServer() + ":" + e.getRole() + ":" + e.getAvailability())
          .containsExactly("lib1:PRIMARY:AVAILABLE", "lib2:SECONDARY:AVAILABLE");
    }
  }

  @Test
  void primaryDeregisters_secondaryIsToldItIsPrimaryNow() throws Exception {
    final java.util.concurrent.BlockingQueue<io.troupe.proto.v1.Control> controls =
        new java.util.concurrent.LinkedBlockingQueue<>();
    try (TroupeAgent a =
            TroupeAgent.builder()
                .port(gw.port())
                .deviceId("promo1")
                .password(gw.addIdentity("promo1", IdentityRole.DEVICE))
                .community("promo")
                .members("promo2")
                .service("svc", io.troupe.agent.api.ServiceHandler.echo())
                .build();
        TroupeAgent b =
            TroupeAgent.builder()
                .port(gw.port())
                .deviceId("promo2")
                .password(gw.addIdentity("promo2", IdentityRole.DEVICE))
                .community("promo")
                .service("svc", io.troupe.agent.api.ServiceHandler.echo())
                .onControl(controls::add)
                .build()) {
      a.startBlocking();
      assertThat(b.startBlocking())
          .extracting(Registration::role)
          .containsExactly(ServerRole.SECONDARY);
      a.deregister("svc").get(10, TimeUnit.SECONDS);
      final io.troupe.proto.v1.Control control = controls.poll(10, TimeUnit.SECONDS);
      assertThat(control).isNotNull();
      assertThat(control.getRole().getRole()).isEqualTo(ServerRole.PRIMARY);
      assertThat(b.registrations().get("svc").role()).isEqualTo(ServerRole.PRIMARY);
      assertThat(call("svc.promo", CallOptions.defaults()).server()).contains("promo2");
    }
  }
}
