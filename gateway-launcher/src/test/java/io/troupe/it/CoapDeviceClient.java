package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.contract.CoapKeys;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.StatusMessage;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;

/**
 * What a CoAP device says to the gateway over DTLS with its own key: registrations at {@code /rd}
 * and statuses on {@code /c/{community}/status/{device}}; and the admin's API calls a test needs.
 */
final class CoapDeviceClient {

  private final GatewayFixture gw;
  private final int dtlsPort;
  private final String community;

  CoapDeviceClient(final GatewayFixture gw, final int dtlsPort, final String community) {
    this.gw = gw;
    this.dtlsPort = dtlsPort;
    this.community = community;
  }

  /** Registers {@code device} for {@code service} with the link {@code </api>}. */
  CoapResponse register(
      final String device, final String service, final String base, final long lifetime)
      throws Exception {
    return post(
        device,
        "/rd?ep=" + device + "&d=" + community + "&lt=" + lifetime + "&base=" + base,
        "</api>;svc=\"" + service + "\"");
  }

  /** POSTs link-format {@code links} to {@code path} as {@code device}. */
  CoapResponse post(final String device, final String path, final String links) throws Exception {
    try (CoapTestClient c = CoapTestClient.dtls(device, keyOf(device))) {
      return c.at(uri(path)).post(links, MediaTypeRegistry.APPLICATION_LINK_FORMAT);
    }
  }

  /** PUTs {@code status} (a StatusMessage's bytes, or anything) as {@code device}'s status. */
  CoapResponse status(final String device, final byte[] status) throws Exception {
    try (CoapTestClient c = CoapTestClient.dtls(device, keyOf(device))) {
      return c.at(uri("/c/" + community + "/status/" + device))
          .put(status, MediaTypeRegistry.APPLICATION_OCTET_STREAM);
    }
  }

  /** Reports {@code device} available, and checks that the gateway took it. */
  void alive(final String device) throws Exception {
    final CoapResponse r =
        status(
            device,
            StatusMessage.newBuilder()
                .setDeviceId(device)
                .setAvailability(Availability.AVAILABLE)
                .build()
                .toByteArray());
    assertThat(r.getCode()).as(r.getResponseText()).isEqualTo(ResponseCode.CHANGED);
  }

  /** A gateway API request as the admin, over MQTT. */
  GatewayResponse admin(final GatewayRequest request) throws Exception {
    try (MqttTestClient admin =
        MqttTestClient.connect(gw.port(), "admin-coap", "admin", gw.adminPassword())) {
      admin.subscribe("troupe/r/admin-coap/#");
      return GatewayResponse.parseFrom(
          admin
              .requestBytes("troupe/gw/api", request.toByteArray(), "troupe/r/admin-coap/api")
              .get(10, TimeUnit.SECONDS)
              .body());
    }
  }

  int dtlsPort() {
    return dtlsPort;
  }

  String uri(final String path) {
    return "coaps://127.0.0.1:" + dtlsPort + path;
  }

  String keyOf(final String identity) throws Exception {
    return CoapKeys.read(gw.gateway.extensionHome()).keyOf(identity);
  }
}
