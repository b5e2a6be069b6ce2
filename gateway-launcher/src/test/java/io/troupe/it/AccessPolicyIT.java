package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.troupe.contract.CoapKeys;
import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.PolicyScope;
import io.troupe.proto.v1.SetAccessPolicy;
import io.troupe.proto.v1.UpdateCommunity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Access policies (R12) on the real broker with real clients: a scaled-down quota refuses with 429
 * and PUBACK 0x97 and frees as its window rolls; mosquitto_rr and coap-client-openssl see the
 * refusal; a community's session limit refuses a CONNECT with 0x97; a server's own policy makes the
 * next server serve. On the shared gateway ({@link SharedGateway}): every identity, client id and
 * community starts with {@code pol-}, and every policy is on a community, service or server of this
 * class, never the gateway's.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AccessPolicyIT {

  private static final String COMMUNITY = "pol-demo";
  private static final String ADDRESS = "echo." + COMMUNITY;
  private static final int QUOTA = 2_000;

  private static SharedGateway shared;

  /** This class's one admin session. */
  private static PolicySession admin;

  private static GatewayFixture gw;
  private static final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void twoDevicesServeEchoOfPolDemo() throws Exception {
    shared = SharedGateway.get();
    gw = shared.gw;
    admin = new PolicySession(gw.port(), "pol-admin", "admin", gw.adminPassword());
    open.add(admin);
    serve("pol-dev1", COMMUNITY, null);
    serve("pol-dev2", COMMUNITY, "pol-dev1");
    serve("pol-srv1", "pol-srv", null);
    serve("pol-srv2", "pol-srv", "pol-srv1");
    policy(
        AccessPolicy.newBuilder()
            .setScope(PolicyScope.SERVICE)
            .setTarget(ADDRESS)
            .setQuotaBytes(QUOTA)
            .setQuotaWindowSeconds(3));
  }

  @AfterAll
  static void close() throws Exception {
    for (final AutoCloseable c : open) {
      c.close();
    }
  }

  @Test
  void quota_usedUp_refusesWith429AndPuback0x97_andFreesAsTheWindowRolls() throws Exception {
    final String password = addIdentity("pol-q", IdentityRole.CONSUMER);
    try (MqttTestClient c = MqttTestClient.connect(gw.port(), "pol-q-1", "pol-q", password)) {
      c.subscribe("troupe/r/pol-q-1/#");
      final String body = "x".repeat(600); // 602 bytes with its correlation data, 600 back
      assertThat(c.call(ADDRESS, body).properties()).containsEntry("status", "200");
      assertThat(c.call(ADDRESS, body).properties()).containsEntry("status", "200");

      final MqttTestClient.Sent refused = c.request(ADDRESS, body);
      assertThat(refused.pubackCode()).isEqualTo(0x97);
      assertThat(refused.pubackReason().orElse(""))
          .startsWith(
              "429 quota of 2000 bytes per 3 s for service echo.pol-demo used up; frees in");
      final MqttTestClient.Answer answer = refused.answer().get(10, TimeUnit.SECONDS);
      assertThat(answer.properties()).containsEntry("status", "429");
      assertThat(c.client.isConnected()).isTrue();

      await()
          .atMost(Duration.ofSeconds(8))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> c.request(ADDRESS, body).pubackCode() == 0);
    }
  }

  @Test
  void mosquittoRr_andCoapClientOpenssl_seeTheRefusal() throws Exception {
    final String password = addIdentity("pol-interop", IdentityRole.CONSUMER);
    final String tooLarge = "y".repeat(QUOTA + 1);
    if (MosquittoRrInteropIT.onPath("mosquitto_rr") || isCi()) {
      final String out =
          MosquittoRr.call(
              gw.port(),
              "pol-interop",
              password,
              "pol-interop-rr",
              "troupe/s/" + ADDRESS,
              "troupe/r/pol-interop-rr/resp",
              tooLarge);
      assertThat(out).contains("status:429").contains("exceeds the quota of 2000 bytes");
    }
    Assumptions.assumeTrue(
        MosquittoRrInteropIT.onPath("coap-client-openssl") || isCi(),
        "coap-client-openssl is not installed (apt-get install libcoap3-bin)");
    final String key = CoapKeys.read(gw.gateway.extensionHome()).keyOf("pol-interop");
    final Process p =
        new ProcessBuilder(
                "coap-client-openssl",
                "-B",
                "10",
                "-u",
                "pol-interop",
                "-k",
                key,
                "-m",
                "post",
                "-e",
                tooLarge,
                "coaps://127.0.0.1:" + shared.dtlsPort + "/s/" + ADDRESS)
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out).contains("4.29").contains("exceeds the quota of 2000 bytes");
  }

  @Test
  void connectionLimit_ofACommunity_refusesTheThirdSessionWith0x97_untilOneEnds() throws Exception {
    final String password = addIdentity("pol-conn", IdentityRole.CONSUMER);
    assertThat(
            devices
                .get("pol-dev1")
                .api(
                    GatewayRequest.newBuilder()
                        .setUpdateCommunity(
                            UpdateCommunity.newBuilder()
                                .setCommunity(COMMUNITY)
                                .addAddMembers("pol-conn"))
                        .build())
                .getStatus())
        .isEqualTo(200);
    policy(
        AccessPolicy.newBuilder()
            .setScope(PolicyScope.COMMUNITY)
            .setTarget(COMMUNITY)
            .setMaxConnections(2));
    final MqttTestClient first =
        MqttTestClient.connect(gw.port(), "pol-conn-1", "pol-conn", password);
    try (MqttTestClient second =
        MqttTestClient.connect(gw.port(), "pol-conn-2", "pol-conn", password)) {
      assertThatThrownBy(
              () -> MqttTestClient.connect(gw.port(), "pol-conn-3", "pol-conn", password))
          .isInstanceOf(MqttException.class)
          .extracting(e -> ((MqttException) e).getReasonCode())
          .isEqualTo(0x97);
      first.close();
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> connects("pol-conn-3", "pol-conn", password));
    }
  }

  @Test
  void serverPolicy_usedUp_skipsThatServer_andTheNextServes() throws Exception {
    final String password = addIdentity("pol-s", IdentityRole.CONSUMER);
    try (MqttTestClient c = MqttTestClient.connect(gw.port(), "pol-s-1", "pol-s", password)) {
      c.subscribe("troupe/r/pol-s-1/#");
      // the server that serves now is given a quota smaller than the next request
      final String first = c.call("echo.pol-srv", "a").properties().get("server");
      assertThat(first).isIn("pol-srv1", "pol-srv2");
      policy(
          AccessPolicy.newBuilder()
              .setScope(PolicyScope.SERVER)
              .setTarget(first)
              .setQuotaBytes(50)
              .setQuotaWindowSeconds(60));

      final MqttTestClient.Answer next = c.call("echo.pol-srv", "z".repeat(60));
      assertThat(next.properties()).containsEntry("status", "200");
      assertThat(next.properties().get("server")).isNotEqualTo(first).startsWith("pol-srv");
    }
  }

  @Test
  void bandwidth_holdsTheNextRequestToTheConsumersRate_andThenServesIt() throws Exception {
    policy(
        AccessPolicy.newBuilder()
            .setScope(PolicyScope.COMMUNITY)
            .setTarget("pol-srv")
            .setBandwidthBytesPerSecond(2_000));
    final String password = addIdentity("pol-bw", IdentityRole.CONSUMER);
    try (MqttTestClient c = MqttTestClient.connect(gw.port(), "pol-bw-1", "pol-bw", password)) {
      c.subscribe("troupe/r/pol-bw-1/#");
      final String body = "b".repeat(1_000); // 1,002 bytes in and 1,000 out: 1 s at 2,000 B/s
      final long start = System.nanoTime();
      assertThat(c.call("echo.pol-srv", body).properties()).containsEntry("status", "200");

      final MqttTestClient.Sent held = c.request("echo.pol-srv", body);
      assertThat(held.pubackCode()).isZero(); // held, not refused
      assertThat(held.answer().get(10, TimeUnit.SECONDS).properties())
          .containsEntry("status", "200");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("the second request waits until the first one's bytes are through")
          .isGreaterThanOrEqualTo(Duration.ofMillis(1_000));
    }
  }

  // ------------------------------------------------------------------ helpers

  private static boolean isCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  private static boolean connects(final String clientId, final String user, final String password) {
    try {
      open.add(MqttTestClient.connect(gw.port(), clientId, user, password));
      return true;
    } catch (final MqttException e) {
      return false;
    }
  }

  private static void policy(final AccessPolicy.Builder p) throws Exception {
    final GatewayResponse r =
        admin.api(
            GatewayRequest.newBuilder()
                .setSetAccessPolicy(SetAccessPolicy.newBuilder().setPolicy(p))
                .build());
    assertThat(r.getStatus()).as(r.getReason()).isEqualTo(200);
  }

  /** Adds an identity as admin, on this class's one admin session; its password. */
  private static String addIdentity(final String name, final IdentityRole role) throws Exception {
    final GatewayResponse r =
        admin.api(
            GatewayRequest.newBuilder()
                .setAddIdentity(AddIdentity.newBuilder().setName(name).setRole(role))
                .build());
    assertThat(r.getStatus()).as(r.getReason()).isEqualTo(201);
    return r.getIdentity().getPassword();
  }

  private static final Map<String, PolicySession> devices =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Device {@code device} joins {@code community} (creating it, or let in by {@code owner}),
   * registers its echo service and serves it on one session of its own.
   */
  private static void serve(final String device, final String community, final String owner)
      throws Exception {
    final PolicySession d =
        new PolicySession(gw.port(), device, device, addIdentity(device, IdentityRole.DEVICE));
    open.add(d);
    devices.put(device, d);
    d.joinAndServe(community, java.util.Optional.ofNullable(owner).map(devices::get));
  }
}
