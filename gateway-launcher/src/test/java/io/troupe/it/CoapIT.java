package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
