package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.api.CallOptions;
import io.troupe.agent.api.CallResult;
import io.troupe.agent.api.Registration;
import io.troupe.agent.api.ServiceResponse;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.api.TroupeConsumer;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.ServerRole;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The patent's figure 12 (R17): a passive member calls its own service; the primary goes away; the
 * gateway tells the passive member to serve locally, and it keeps doing so after the primary
 * returns; the changes it then reports reach the primary as a sync directive. On the shared gateway
 * ({@link SharedGateway}): every identity and community starts with {@code fig}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PassiveServerIT {

  private static final String ADDRESS = "notes.fig12";

  private static GatewayFixture gw;
  private static String primaryPassword;
  private static TroupeAgent primary;
  private static TroupeAgent passive;
  private static TroupeConsumer consumer;
  private static final BlockingQueue<Control> controls = new LinkedBlockingQueue<>();
  private static final BlockingQueue<Control> primaryControls = new LinkedBlockingQueue<>();

  private static TroupeAgent primary() {
    return TroupeAgent.builder()
        .port(gw.port())
        .deviceId("fig-primary")
        .password(primaryPassword)
        .community("fig12")
        .members("fig-passive")
        .statusInterval(Duration.ofMillis(500))
        .service("notes", answering("the primary"))
        .onControl(primaryControls::add)
        .build();
  }

  private static io.troupe.agent.api.ServiceHandler answering(final String who) {
    return request ->
        CompletableFuture.completedFuture(
            ServiceResponse.ok(
                (who + " got " + new String(request.body(), StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8),
                "text/plain"));
  }

  @BeforeAll
  static void start() throws Exception {
    gw = SharedGateway.fixture();
    primaryPassword = gw.addIdentity("fig-primary", IdentityRole.DEVICE);
    primary = primary();
    primary.startBlocking();
    passive =
        TroupeAgent.builder()
            .port(gw.port())
            .deviceId("fig-passive")
            .password(gw.addIdentity("fig-passive", IdentityRole.DEVICE))
            .community("fig12")
            .passive(true)
            .statusInterval(Duration.ofMillis(500))
            .service("notes", answering("fig-passive locally"))
            .onControl(controls::add)
            .build();
    assertThat(passive.startBlocking())
        .extracting(Registration::role)
        .containsExactly(ServerRole.PASSIVE);
    consumer =
        TroupeConsumer.builder()
            .port(gw.port())
            .user("fig-user")
            .password(gw.addIdentity("fig-user", IdentityRole.CONSUMER))
            .build();
    consumer.connect().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (consumer != null) {
      consumer.close();
    }
    if (passive != null) {
      passive.close();
    }
    if (primary != null) {
      primary.close();
    }
  }

  private static CallResult ownCall(final String body) throws Exception {
    return passive
        .call(ADDRESS, body.getBytes(StandardCharsets.UTF_8), CallOptions.defaults())
        .get(20, TimeUnit.SECONDS);
  }

  @Test
  void figure12_primaryGone_passiveServesItself_andKeepsDoingSoAfterThePrimaryReturns()
      throws Exception {
    // given the primary serves the passive member's own calls
    assertThat(ownCall("a").text()).isEqualTo("the primary got a");
    assertThat(passive.servesLocally(ADDRESS)).isFalse();

    // when the primary stops, the passive member's call is answered 503 with a reason,
    // and the gateway sends it install_locally
    primary.close();
    final CallResult refused =
        await().atMost(Duration.ofSeconds(30)).until(() -> ownCall("b"), r -> r.status() == 503);
    assertThat(refused.reason()).hasValueSatisfying(r -> assertThat(r).contains("serve locally"));
    final Control control = controls.poll(10, TimeUnit.SECONDS);
    assertThat(control).isNotNull();
    assertThat(control.hasInstallLocally()).isTrue();
    assertThat(control.getAddress()).isEqualTo(ADDRESS);
    assertThat(control.getInstallLocally().getServiceDescriptor().getService()).isEqualTo("notes");
    await().atMost(Duration.ofSeconds(10)).until(() -> passive.servesLocally(ADDRESS));

    // then its own handler answers its own calls
    final CallResult local = ownCall("c");
    assertThat(local.status()).isEqualTo(200);
    assertThat(local.text()).isEqualTo("fig-passive locally got c");

    // and after the primary returns, others reach the primary while it keeps serving locally
    primary = primary();
    primary.startBlocking();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> consumer.callBlocking(ADDRESS, new byte[0], CallOptions.defaults()).isSuccess());
    assertThat(consumer.callBlocking(ADDRESS, "d".getBytes(), CallOptions.defaults()).text())
        .isEqualTo("the primary got d");
    assertThat(ownCall("e").text()).isEqualTo("fig-passive locally got e");

    // and the changes the passive member made locally reach the primary: it reports a newer
    // descriptor, the gateway tells the primary to synchronise from it (R4)
    passive
        .describe(
            "notes",
            io.troupe.proto.v1.ServiceDescriptor.newBuilder()
                .setService("notes")
                .setVersion(7)
                .build())
        .get(10, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(primary.newestDescriptor("notes"))
                    .hasValueSatisfying(d -> assertThat(d.getVersion()).isEqualTo(7)));
    assertThat(primaryControls)
        .filteredOn(Control::hasSync)
        .singleElement()
        .satisfies(c -> assertThat(c.getSync().getSourcesList()).containsExactly("fig-passive"));
  }
}
