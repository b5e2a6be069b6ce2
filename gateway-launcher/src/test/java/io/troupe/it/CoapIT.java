package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.proto.v1.DistributionList;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.RemoveIdentity;
import io.troupe.proto.v1.StatusMessage;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAP.Type;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.elements.exception.ConnectorException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CoAP bridge driven by a real Californium client, plain and over DTLS with PSK. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CoapIT {

  private static CoapGateway gw;

  @BeforeAll
  static void start() throws Exception {
    gw = CoapGateway.start("coap");
  }

  @AfterAll
  static void stop() throws Exception {
    gw.closeInBackground();
  }

  @Test
  void plainGet_reachesTheAgentWithMethodAndPath() throws Exception {
    try (CoapTestClient c = CoapTestClient.plain()) {
      final CoapResponse r = c.at(gw.plainUri(CoapGateway.ADDRESS + "/some/path")).get();
      assertThat(r.getCode()).isEqualTo(ResponseCode.CONTENT);
      assertThat(r.getResponseText()).isEqualTo("GET /some/path");
      assertThat(r.getOptions().getContentFormat()).isEqualTo(MediaTypeRegistry.TEXT_PLAIN);
    }
  }

  @Test
  void dtlsPost_echoesTheBodyAndContentFormat() throws Exception {
    final String key = gw.keyOf(CoapGateway.DTLS_USER);
    try (CoapTestClient c = CoapTestClient.dtls(CoapGateway.DTLS_USER, key)) {
      final CoapResponse r =
          c.at(gw.dtlsUri(CoapGateway.ADDRESS))
              .post("{\"hello\":1}", MediaTypeRegistry.APPLICATION_JSON);
      assertThat(r.getCode()).isEqualTo(ResponseCode.CHANGED);
      assertThat(r.getResponseText()).isEqualTo("{\"hello\":1}");
      assertThat(r.getOptions().getContentFormat()).isEqualTo(MediaTypeRegistry.APPLICATION_JSON);
    }
  }

  @Test
  void unknownAddress_is404WithTheReason() throws Exception {
    try (CoapTestClient c = CoapTestClient.plain()) {
      final CoapResponse r = c.at(gw.plainUri("nothing.coap")).get();
      assertThat(r.getCode()).isEqualTo(ResponseCode.NOT_FOUND);
      assertThat(r.getResponseText()).isNotEmpty();
    }
  }

  @Test
  void wrongKey_handshakeRefused_noResponse() throws Exception {
    try (CoapTestClient c = CoapTestClient.dtls(CoapGateway.DTLS_USER, "not-the-key")) {
      assertThat(call(c, gw.dtlsUri(CoapGateway.ADDRESS))).isEmpty();
    }
  }

  @Test
  void unknownIdentity_handshakeRefused_noResponse() throws Exception {
    try (CoapTestClient c = CoapTestClient.dtls("mallory", gw.keyOf("mallory"))) {
      assertThat(call(c, gw.dtlsUri(CoapGateway.ADDRESS))).isEmpty();
    }
  }

  @Test
  void oneMegabyte_blockwiseBothWays() throws Exception {
    // given
    final byte[] body = new byte[1024 * 1024];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) ('a' + i % 26);
    }
    try (CoapTestClient c = CoapTestClient.plain()) {
      // when
      final CoapResponse r =
          c.at(gw.plainUri(CoapGateway.ADDRESS)).post(body, MediaTypeRegistry.TEXT_PLAIN);
      // then
      assertThat(r.getCode()).isEqualTo(ResponseCode.CHANGED);
      assertThat(Arrays.equals(r.getPayload(), body)).isTrue();
    }
  }

  @Test
  void beyondMaxPayload_is413() throws Exception {
    final byte[] body = new byte[CoapGateway.MAX_PAYLOAD + 4096];
    try (CoapTestClient c = CoapTestClient.plain()) {
      final CoapResponse r =
          c.at(gw.plainUri(CoapGateway.ADDRESS))
              .post(body, MediaTypeRegistry.APPLICATION_OCTET_STREAM);
      assertThat(r.getCode()).isEqualTo(ResponseCode.REQUEST_ENTITY_TOO_LARGE);
    }
  }

  @Test
  void servers_observed_notifiedWhenAServerJoins() throws Exception {
    final List<DistributionList> seen = new CopyOnWriteArrayList<>();
    try (CoapTestClient c = CoapTestClient.dtls("echo-dev", gw.keyOf("echo-dev"))) {
      // given a member observing the echo service's distribution list
      final String uri =
          "coaps://127.0.0.1:" + gw.dtlsPort + "/c/" + CoapGateway.COMMUNITY + "/svc/echo/servers";
      final CoapResponse first = c.at(uri).get();
      assertThat(first.getCode()).as(first.getResponseText()).isEqualTo(ResponseCode.CONTENT);
      final CoapObserveRelation relation =
          c.at(uri)
              .observe(
                  new CoapHandler() {
                    @Override
                    public void onLoad(final CoapResponse response) {
                      if (response.getCode() == ResponseCode.CONTENT) {
                        try {
                          seen.add(DistributionList.parseFrom(response.getPayload()));
                        } catch (final InvalidProtocolBufferException e) {
                          throw new IllegalStateException(e);
                        }
                      }
                    }

                    @Override
                    public void onError() {}
                  });
      await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
      assertThat(devices(seen.get(seen.size() - 1))).contains("echo-dev");

      // when a second server joins, then a notification lists it
      try (TroupeAgent second = gw.agent(CoapGateway.SECOND)) {
        second.startBlocking();
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> devices(seen.get(seen.size() - 1)).contains(CoapGateway.SECOND));
      }
      relation.proactiveCancel();
    }
  }

  @Test
  void servers_notAMember_is403() throws Exception {
    try (CoapTestClient c = CoapTestClient.plain()) {
      final CoapResponse r =
          c.at(
                  "coap://127.0.0.1:"
                      + gw.plainPort
                      + "/c/"
                      + CoapGateway.COMMUNITY
                      + "/svc/echo/servers")
              .get();
      assertThat(r.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
    }
  }

  @ParameterizedTest(name = "{0} answered {1} -> {2}")
  @CsvSource({
    "GET, 200, CONTENT",
    "GET, 204, CONTENT",
    "POST, 200, CHANGED",
    "POST, 201, CREATED",
    "POST, 204, CHANGED",
    "PUT, 200, CHANGED",
    "PUT, 201, CREATED",
    "DELETE, 200, DELETED",
    "DELETE, 204, DELETED"
  })
  void serverSuccess_answersTheCodeRfc7252ReservesForTheMethod(
      final Code method, final int status, final ResponseCode code) throws Exception {
    try (CoapTestClient c = CoapTestClient.plain()) {
      final Request request = new Request(method);
      request.setURI(gw.plainUri(CoapGateway.CODES + "/" + status));
      if (method == Code.POST || method == Code.PUT) {
        request.setPayload("x");
      }
      final CoapResponse r = c.client.advanced(request);
      assertThat(r.getCode()).as(r.getResponseText()).isEqualTo(code);
    }
  }

  @ParameterizedTest(name = "{0} -> {1}, confirmable {2}")
  @CsvSource({
    "200, CONTENT, true",
    "201, CONTENT, false",
    "400, BAD_REQUEST, true",
    "403, FORBIDDEN, false",
    "404, NOT_FOUND, true",
    "413, REQUEST_ENTITY_TOO_LARGE, false",
    "429, TOO_MANY_REQUESTS, true",
    "503, SERVICE_UNAVAILABLE, false",
    "504, GATEWAY_TIMEOUT, true"
  })
  void serverStatus_mapsToItsCoapCode_reasonAsDiagnostic(
      final int status, final ResponseCode code, final boolean confirmable) throws Exception {
    // 504: the only server outlasts the deadline (it is waited on, being alone); 503: it refuses
    // and no other server is left
    final String path =
        status == 504 ? "slow/" + (GatewayFixture.DEADLINE_MS + 2_000) : "" + status;
    try (CoapTestClient c = CoapTestClient.plain()) {
      if (!confirmable) {
        c.client.useNONs();
      }
      final CoapResponse r = c.at(gw.plainUri(CoapGateway.CODES + "/" + path)).get();
      assertThat(r.getCode()).as(r.getResponseText()).isEqualTo(code);
      // a prompt answer rides on the ACK; the slow one (504) comes separately
      assertThat(r.advanced().getType())
          .isEqualTo(confirmable ? (status == 504 ? Type.CON : Type.ACK) : Type.NON);
      if (status >= 400) {
        assertThat(r.getOptions().getContentFormat()).isEqualTo(MediaTypeRegistry.TEXT_PLAIN);
        assertThat(r.getResponseText())
            .contains(status == 504 ? "timed out" : status == 503 ? "503" : "because " + status);
      }
    }
  }

  @Test
  void serverSlowerThanTheAckDelay_emptyAckThenSeparateResponse_oneForward() throws Exception {
    // the bridge acknowledges after 500 ms, the client retransmits after 600 ms without an ACK,
    // and the server takes 800 ms (under the forward timeout)
    try (CoapTestClient c = CoapTestClient.plain(Duration.ofMillis(600))) {
      final String path = "slow/" + GatewayFixture.FORWARD_TIMEOUT_MS * 4 / 5;
      final CoapResponse r = c.at(gw.plainUri(CoapGateway.CODES + "/" + path)).get();
      assertThat(r.getCode()).isEqualTo(ResponseCode.CONTENT);
      assertThat(r.advanced().getType()).isEqualTo(Type.CON); // not piggybacked on the ACK
      assertThat(gw.served("/" + path)).isEqualTo(1);
    }
  }

  @Test
  void sameMessageIdTwice_isForwardedOnce() throws Exception {
    // given one confirmable POST, encoded by hand
    final byte[] token = {7, 42};
    final byte[] post =
        RawCoap.post(0x5151, token, List.of("s", CoapGateway.ADDRESS, "dup"), "once");
    try (RawCoap raw = new RawCoap(gw.plainPort)) {
      // when it is sent twice before the answer and once after
      raw.send(post);
      raw.send(post);
      assertThat(raw.codeFor(token, 10_000)).contains(RawCoap.CHANGED);
      raw.send(post);
      // then the agent saw it once
      await().atMost(Duration.ofSeconds(5)).until(() -> gw.served("/dup") == 1);
      await()
          .during(Duration.ofMillis(700))
          .atMost(Duration.ofSeconds(3))
          .until(() -> gw.served("/dup") == 1);
    }
  }

  @Test
  void status_observedAsJson_notifiedAsTheDeviceReports() throws Exception {
    final List<String> seen = new CopyOnWriteArrayList<>();
    try (CoapTestClient c = CoapTestClient.dtls("echo-dev", gw.keyOf("echo-dev"))) {
      final String uri = statusUri("echo-dev");
      final CoapObserveRelation relation =
          c.at(uri)
              .observe(
                  new CoapHandler() {
                    @Override
                    public void onLoad(final CoapResponse response) {
                      if (response.getOptions().getContentFormat()
                          == MediaTypeRegistry.APPLICATION_JSON) {
                        seen.add(response.getResponseText());
                      }
                    }

                    @Override
                    public void onError() {}
                  },
                  MediaTypeRegistry.APPLICATION_JSON);
      // the agent reports every 500 ms, each with a new sequence number
      await().atMost(Duration.ofSeconds(10)).until(() -> Set.copyOf(seen).size() >= 2);
      assertThat(seen.get(0)).startsWith("{\"deviceId\":\"echo-dev\"").contains("\"sequence\":\"");
      relation.proactiveCancel();

      final CoapResponse protobuf = c.at(uri).get();
      assertThat(StatusMessage.parseFrom(protobuf.getPayload()).getDeviceId())
          .isEqualTo("echo-dev");
      assertThat(c.at(uri).get(MediaTypeRegistry.TEXT_PLAIN).getCode())
          .isEqualTo(ResponseCode.NOT_ACCEPTABLE);
      final CoapResponse servers =
          c.at(uri.replace("/status/echo-dev", "/svc/echo/servers"))
              .get(MediaTypeRegistry.APPLICATION_JSON);
      assertThat(servers.getResponseText()).contains("\"servers\":[{\"server\":\"echo-dev\"");
    }
  }

  @Test
  void status_notAMember_is403() throws Exception {
    try (CoapTestClient c = CoapTestClient.plain()) {
      final CoapResponse r =
          c.at(
                  statusUri("echo-dev")
                      .replace("coaps://", "coap://")
                      .replace(":" + gw.dtlsPort, ":" + gw.plainPort))
              .get();
      assertThat(r.getCode()).isEqualTo(ResponseCode.FORBIDDEN);
    }
  }

  @Test
  void identityRemovedDuringItsDtlsSession_is401() throws Exception {
    gw.gw.addIdentity("frank", IdentityRole.CONSUMER);
    try (CoapTestClient c = CoapTestClient.dtls("frank", gw.keyOf("frank"))) {
      assertThat(c.at(gw.dtlsUri(CoapGateway.ADDRESS)).get().getCode())
          .isEqualTo(ResponseCode.CONTENT);
      gw.gw.api(
          GatewayRequest.newBuilder()
              .setRemoveIdentity(RemoveIdentity.newBuilder().setName("frank"))
              .build());
      final CoapResponse r = c.at(gw.dtlsUri(CoapGateway.ADDRESS)).get();
      assertThat(r.getCode()).isEqualTo(ResponseCode.UNAUTHORIZED);
      assertThat(r.getResponseText()).isNotEmpty();
    }
  }

  @Test
  void dtlsWithoutBind_listensWhereMqttDoes_notOnEveryInterface() throws Exception {
    final InetAddress otherLoopback = InetAddress.getByName("127.0.0.2");
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(otherLoopback, 0))) {
      assumeTrue(probe.isBound(), "127.0.0.2 is not a local address here");
    } catch (final java.net.BindException e) {
      assumeTrue(false, "127.0.0.2 is not a local address here");
    }
    // the DTLS port is free on another address: it would not be if DTLS listened on 0.0.0.0
    try (DatagramSocket other = new DatagramSocket(null)) {
      other.setReuseAddress(false);
      other.bind(new InetSocketAddress(otherLoopback, gw.dtlsPort));
      assertThat(other.isBound()).isTrue();
    }
  }

  private static String statusUri(final String device) {
    return "coaps://127.0.0.1:" + gw.dtlsPort + "/c/" + CoapGateway.COMMUNITY + "/status/" + device;
  }

  private static List<String> devices(final DistributionList list) {
    return list.getServersList().stream().map(e -> e.getServer()).toList();
  }

  private static Optional<CoapResponse> call(final CoapTestClient c, final String uri)
      throws Exception {
    try {
      c.client.setTimeout(10_000L);
      return Optional.ofNullable(
          c.at(uri).post("x".getBytes(StandardCharsets.UTF_8), MediaTypeRegistry.TEXT_PLAIN));
    } catch (final ConnectorException | java.io.IOException e) {
      return Optional.empty();
    }
  }
}
