package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.proto.v1.BrowseServices;
import io.troupe.proto.v1.CommunityInfo;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.ServiceInfo;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A gateway home written by main at e6fd5ed (test resource {@code homes/main-e6fd5ed}, whose README
 * says how it was made) starts under today's code with its state intact: identities log in with the
 * passwords they had, communities, services and rules are there, client ids stay bound, and a CoAP
 * key issued then still opens DTLS. Only what users see is checked: how passwords are hashed or
 * rows are stored may change.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EarlierHomeIT {

  private static final Path FIXTURE = Path.of("target", "test-classes", "homes", "main-e6fd5ed");
  private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
  private static final int NOT_AUTHORIZED = 0x87;

  private static GatewayFixture gw;
  private static Properties secrets;
  private static int dtlsPort;

  @BeforeAll
  static void startOnACopyOfTheEarlierHome() throws Exception {
    final Path home =
        Files.createDirectories(Path.of("target", "it", "earlier-home-" + System.nanoTime()));
    final Path extension = home.resolve("extensions").resolve("troupe-gateway");
    copyTree(FIXTURE.resolve("extension"), extension);
    secrets = new Properties();
    try (Reader in = Files.newBufferedReader(FIXTURE.resolve("credentials.properties"))) {
      secrets.load(in);
    }
    secrets.setProperty(
        "admin", Files.readString(FIXTURE.resolve("extension/data/admin.secret")).trim());
    dtlsPort = CoapGateway.freeUdpPort();
    gw =
        GatewayFixture.start(
            home,
            GatewayFixture.freePort(),
            GatewayFixture.CONFIG.replace("<port>0</port>", "<port>" + dtlsPort + "</port>"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (gw != null) {
      gw.closeInBackground();
    }
  }

  @Test
  void identities_logInWithTheirEarlierPasswords() throws Exception {
    assertThat(gw.adminPassword()).isEqualTo(secrets.getProperty("admin"));
    for (final String name : new String[] {"admin", "bob", "alice", "mum", "kid", "lamp"}) {
      try (MqttTestClient c =
          MqttTestClient.connect(gw.port(), name, name, secrets.getProperty(name))) {
        assertThat(c.client.isConnected()).as(name).isTrue();
      }
    }
    assertThatThrownBy(() -> MqttTestClient.connect(gw.port(), "bob-2", "bob", "not bob's"))
        .isInstanceOfSatisfying(
            MqttException.class,
            e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USER_NAME_OR_PASSWORD));
  }

  @Test
  void communitiesServicesAndRules_areThere() throws Exception {
    try (MqttTestClient mum = connect("mum", "mum");
        MqttTestClient kid = connect("kid", "kid")) {
      final GatewayResponse browsed =
          GatewaySecurityIT.api(
              mum,
              GatewayRequest.newBuilder()
                  .setBrowseServices(BrowseServices.newBuilder().setCommunity("family"))
                  .build());
      assertThat(browsed.getStatus()).as(browsed.getReason()).isEqualTo(200);
      final CommunityInfo family = browsed.getBrowse().getCommunities(0);
      assertThat(family.getOwner()).isEqualTo("mum");
      assertThat(family.getOpen()).isFalse();
      assertThat(family.getMembersList()).contains("kid");
      final Map<String, ServiceInfo> services =
          family.getServicesList().stream()
              .collect(Collectors.toMap(ServiceInfo::getService, s -> s));
      assertThat(services).containsOnlyKeys("movies", "calendar");
      assertThat(services.get("movies").getRule().getOrder())
          .isEqualTo(RequestOrder.SECONDARY_FIRST);

      final GatewayResponse again = RestartIT.register(kid, "family", "movies");
      assertThat(again.getStatus()).as(again.getReason()).isEqualTo(200);
      assertThat(again.getRegistration().getCreatedService()).isFalse();
      assertThat(again.getRegistration().getRole()).isEqualTo(ServerRole.SECONDARY);
    }
  }

  @Test
  void clientIdBindings_hold() throws Exception {
    for (final String id : new String[] {"bob-rr", "lounge", "mum"}) {
      assertThatThrownBy(() -> connect(id, "alice"))
          .as(id)
          .isInstanceOfSatisfying(
              MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORIZED));
    }
    try (MqttTestClient bob = connect("lounge", "bob")) {
      assertThat(bob.client.isConnected()).isTrue();
    }
    try (MqttTestClient alice = connect("alice-phone", "alice")) {
      assertThat(alice.client.isConnected()).isTrue();
    }
  }

  @Test
  void aBindingTheRuleGivesToAnother_movesToItsIdentity() throws Exception {
    // bob bound alice-rr before an id NAME-... was NAME's
    assertThatThrownBy(() -> connect("alice-rr", "bob"))
        .isInstanceOfSatisfying(
            MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORIZED));
    try (MqttTestClient alice = connect("alice-rr", "alice")) {
      assertThat(alice.client.isConnected()).isTrue();
    }
  }

  @Test
  void aCoapKeyIssuedThen_stillOpensDtls() throws Exception {
    try (CoapTestClient lamp = CoapTestClient.dtls("lamp", secrets.getProperty("lamp.coap-key"))) {
      final CoapResponse r = lamp.at("coaps://127.0.0.1:" + dtlsPort + "/s/nothing.family").get();
      assertThat(r).as("a DTLS handshake with the earlier key, and an answer").isNotNull();
      assertThat(r.getCode().codeClass).as(r.getResponseText()).isEqualTo(4);
    }
  }

  private static MqttTestClient connect(final String clientId, final String name) throws Exception {
    final MqttTestClient c =
        MqttTestClient.connect(gw.port(), clientId, name, secrets.getProperty(name));
    c.subscribe("troupe/r/" + clientId + "/#");
    return c;
  }

  private static void copyTree(final Path from, final Path to) throws Exception {
    try (Stream<Path> all = Files.walk(from)) {
      for (final Path p : (Iterable<Path>) all::iterator) {
        final Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
