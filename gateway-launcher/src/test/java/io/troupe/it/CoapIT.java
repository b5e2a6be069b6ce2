package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.proto.v1.DistributionList;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapObserveRelation;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.elements.exception.ConnectorException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
    gw.close();
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
      assertThat(r.getCode()).isEqualTo(ResponseCode.CONTENT);
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
      assertThat(r.getCode()).isEqualTo(ResponseCode.CONTENT);
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
