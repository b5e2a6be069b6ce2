package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.api.ServiceResponse;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.contract.CoapKeys;
import io.troupe.proto.v1.IdentityRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What one identity can do to the CoAP bridge's other users: observations bounded per identity
 * (finding 8 of issue 11), each version of a status encoded once for all its observers, the
 * devices' endpoint bound where the bridge listens, and plain-CoAP registrations held to their own
 * port (finding 9). Real Californium clients against the gateway on an embedded HiveMQ.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CoapObserveIT {

  private static final String COMMUNITY = "obs";
  private static final String DEVICE = "obs-dev";
  private static final String VIEWER = "obs-viewer";
  private static final String PLAIN_DEVICE = "obs-plain";
  private static final int PER_IDENTITY = 5;

  private static GatewayFixture gw;
  private static TroupeAgent agent;
  private static TroupeAgent viewerAgent;
  private static int dtlsPort;
  private static int plainPort;

  @BeforeAll
  static void start() throws Exception {
    // a gateway still stopping in this JVM holds the JMX names of the metrics read here
    GatewayFixture.awaitBackgroundStops();
    dtlsPort = CoapGateway.freeUdpPort();
    plainPort = CoapGateway.freeUdpPort();
    gw =
        GatewayFixture.start(
            "coap-observe",
            GatewayFixture.CONFIG.replace(
                "<coap><dtls><bind>127.0.0.1</bind><port>0</port></dtls></coap>",
                // no DTLS <bind>: the bridge listens where MQTT does, on 127.0.0.1
                "<coap><dtls><port>"
                    + dtlsPort
                    + "</port></dtls><plain><bind>127.0.0.1</bind><port>"
                    + plainPort
                    + "</port><act-as>"
                    + PLAIN_DEVICE
                    + "</act-as></plain><observe><max-per-identity>"
                    + PER_IDENTITY
                    + "</max-per-identity><max-per-peer>30</max-per-peer>"
                    + "<max-total>40</max-total></observe></coap>"));
    gw.addIdentity(PLAIN_DEVICE, IdentityRole.DEVICE);
    agent = agent(DEVICE);
    agent.startBlocking();
    // another member, whose observations one device must not be able to prevent
    viewerAgent = agent(VIEWER);
    viewerAgent.startBlocking();
    try (CoapTestClient viewer = dtls(VIEWER)) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> viewer.at(statusUri(DEVICE)).get().getCode() == ResponseCode.CONTENT);
    }
  }

  private static TroupeAgent agent(final String device) throws Exception {
    return TroupeAgent.builder()
        .port(gw.port())
        .deviceId(device)
        .password(gw.addIdentity(device, IdentityRole.DEVICE))
        .community(COMMUNITY)
        .members(DEVICE, VIEWER, PLAIN_DEVICE)
        .statusInterval(Duration.ofMillis(300))
        .service(
            "echo",
            r -> CompletableFuture.completedFuture(ServiceResponse.ok(r.body(), "text/plain")))
        .build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (viewerAgent != null) {
      viewerAgent.close();
    }
    if (agent != null) {
      agent.close();
    }
    if (gw != null) {
      gw.closeInBackground();
    }
  }

  @Test
  void observe_oneIdentityPastItsLimit_isRefused503_andAnotherIdentityStillObserves()
      throws Exception {
    final List<CoapObserveRelation> relations = new ArrayList<>();
    try (CoapTestClient attacker = dtls(DEVICE);
        CoapTestClient viewer = dtls(VIEWER)) {
      // given: the device opens twice its share of observations of its own status
      int established = 0;
      final List<CoapResponse> refused = new ArrayList<>();
      for (int i = 0; i < 2 * PER_IDENTITY; i++) {
        final List<CoapResponse> mine = new CopyOnWriteArrayList<>();
        relations.add(attacker.at(statusUri(DEVICE)).observeAndWait(into(mine)));
        await().atMost(Duration.ofSeconds(5)).until(() -> !mine.isEmpty());
        final CoapResponse first = mine.get(0);
        if (first.getCode() == ResponseCode.CONTENT && first.getOptions().hasObserve()) {
          established++;
        } else {
          refused.add(first);
        }
      }
      assertThat(established).isEqualTo(PER_IDENTITY);
      assertThat(refused).hasSize(PER_IDENTITY);
      assertThat(refused)
          .allSatisfy(
              r -> {
                assertThat(r.getCode()).isEqualTo(ResponseCode.SERVICE_UNAVAILABLE);
                assertThat(r.getOptions().getMaxAge()).isEqualTo(30L);
                assertThat(r.getResponseText()).contains("too many observations for this identity");
              });

      // when another identity observes the same status
      final List<CoapResponse> seen = new CopyOnWriteArrayList<>();
      relations.add(viewer.at(statusUri(DEVICE)).observeAndWait(into(seen)));

      // then it is established and notified as the device reports
      await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
      assertThat(seen.get(0).getCode())
          .as("the first answer to the other identity: %s", seen.get(0).getResponseText())
          .isEqualTo(ResponseCode.CONTENT);
      assertThat(seen.get(0).getOptions().hasObserve()).isTrue();
      await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= 3);
      assertThat(count("coap.observe.refusals.identity")).isGreaterThanOrEqualTo(PER_IDENTITY);
    } finally {
      relations.forEach(CoapObserveRelation::proactiveCancel);
    }
  }

  @Test
  void observe_jsonObservers_eachVersionEncodedOnce_notOncePerObserver() throws Exception {
    // one place fewer than the viewer's share: cancelling is asynchronous, and the other test's
    // observation by the viewer must find a place whichever runs first
    final int observers = PER_IDENTITY - 1;
    final List<CoapObserveRelation> relations = new ArrayList<>();
    final List<List<CoapResponse>> seen = new ArrayList<>();
    try (CoapTestClient viewer = dtls(VIEWER)) {
      // given
      final long before = count("coap.observe.encodings");
      // when the observers take the status as JSON through several updates
      for (int i = 0; i < observers; i++) {
        final List<CoapResponse> mine = new CopyOnWriteArrayList<>();
        seen.add(mine);
        relations.add(
            viewer
                .at(statusUri(DEVICE))
                .observeAndWait(into(mine), MediaTypeRegistry.APPLICATION_JSON));
      }
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> seen.stream().allMatch(s -> distinct(List.of(s)) >= 4));
      relations.forEach(CoapObserveRelation::proactiveCancel);
      // then
      final int versions = distinct(seen);
      final int notifications = seen.stream().mapToInt(List::size).sum();
      final long encodings = count("coap.observe.encodings") - before;
      assertThat(notifications).isGreaterThanOrEqualTo(observers * 4);
      // a version may be encoded as the observers cancel, and never reach them
      assertThat(encodings).isBetween(1L, versions + 2L);
    } finally {
      relations.forEach(CoapObserveRelation::proactiveCancel);
    }
  }

  @Test
  void gatewayOnLoopback_bindsNoUdpSocketOnEveryInterface() throws Exception {
    // the DTLS endpoint follows MQTT onto 127.0.0.1, plain CoAP is on 127.0.0.1: the endpoint that
    // calls CoAP devices must be there too
    assertThat(wildcardUdpSocketsOfThisProcess()).isEmpty();
  }

  @Test
  void plainRegistration_baseOnAnotherPortOfTheSender_is403() throws Exception {
    try (CoapTestClient device = CoapTestClient.plain()) {
      final int own = device.client.getEndpoint().getAddress().getPort();
      // when the device names the DNS port of its own host
      final CoapResponse dns = register(device, "coap://127.0.0.1:53");
      // then
      assertThat(dns.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
      assertThat(dns.getResponseText()).contains("port the registration came from, " + own);

      // its own port is its base, and an update cannot move it elsewhere either
      assertThat(register(device, "coap://127.0.0.1:" + own).getCode())
          .isEqualTo(ResponseCode.CREATED);
      final CoapResponse moved =
          device
              .at(
                  "coap://127.0.0.1:"
                      + plainPort
                      + "/rd/"
                      + PLAIN_DEVICE
                      + "?base=coap://127.0.0.1:53")
              .post(new byte[0], MediaTypeRegistry.UNDEFINED);
      assertThat(moved.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
      assertThat(
              device.at("coap://127.0.0.1:" + plainPort + "/rd/" + PLAIN_DEVICE).delete().getCode())
          .isEqualTo(ResponseCode.DELETED);
    }
  }

  private static CoapResponse register(final CoapTestClient device, final String base)
      throws Exception {
    return device
        .at(
            "coap://127.0.0.1:"
                + plainPort
                + "/rd?ep="
                + PLAIN_DEVICE
                + "&d="
                + COMMUNITY
                + "&lt=60&base="
                + base)
        .post("</api>;svc=\"echo\"", MediaTypeRegistry.APPLICATION_LINK_FORMAT);
  }

  private static CoapTestClient dtls(final String identity) throws Exception {
    return CoapTestClient.dtls(identity, CoapKeys.read(gw.gateway.extensionHome()).keyOf(identity));
  }

  private static String statusUri(final String device) {
    return "coaps://127.0.0.1:" + dtlsPort + "/c/" + COMMUNITY + "/status/" + device;
  }

  private static int distinct(final List<List<CoapResponse>> seen) {
    final Set<String> payloads = new HashSet<>();
    seen.forEach(s -> s.forEach(r -> payloads.add(r.getResponseText())));
    return payloads.size();
  }

  private static CoapHandler into(final List<CoapResponse> seen) {
    return new CoapHandler() {
      @Override
      public void onLoad(final CoapResponse response) {
        seen.add(response);
      }

      @Override
      public void onError() {}
    };
  }

  /** The count of a gateway counter, 0 before its first use. */
  private static long count(final String name) {
    return gw.gateway.counter("io.troupe.gateway." + name);
  }

  /**
   * The UDP sockets this JVM holds that are bound to every interface ({@code 0.0.0.0} or {@code
   * ::}), as {@code /proc/net/udp[6]} lines: Linux only.
   */
  private static List<String> wildcardUdpSocketsOfThisProcess() throws Exception {
    final Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (final Path fd : (Iterable<Path>) fds::iterator) {
        try {
          final String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (final java.io.IOException closedMeanwhile) {
          // a descriptor closed while listing
        }
      }
    }
    final List<String> wildcard = new ArrayList<>();
    for (final String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
      final List<String> lines = Files.readAllLines(Path.of(table));
      for (final String line : lines.subList(1, lines.size())) {
        final String[] f = line.trim().split("\\s+");
        final String local = f[1].substring(0, f[1].indexOf(':'));
        if (local.chars().allMatch(c -> c == '0') && inodes.contains(f[9])) {
          wildcard.add(table + ": " + line.trim());
        }
      }
    }
    return wildcard;
  }
}
