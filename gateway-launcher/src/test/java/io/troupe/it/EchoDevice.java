package io.troupe.it;

import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.TunnelRequest;
import io.troupe.proto.v1.TunnelResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A device that serves {@code echo.demo} with a bare Paho client: it answers each forwarded {@code
 * TunnelRequest} with its body, on the reply topic and correlation the gateway gave. Anything else
 * that reaches its inbox is counted as garbage.
 */
final class EchoDevice implements AutoCloseable {

  private final MqttTestClient client;
  final AtomicInteger served = new AtomicInteger();
  final AtomicInteger garbage = new AtomicInteger();

  private EchoDevice(final MqttTestClient client) {
    this.client = client;
  }

  static EchoDevice start(final int port, final String password) throws MqttException {
    final EchoDevice echo =
        new EchoDevice(MqttTestClient.connect(port, "owner", "owner", password));
    echo.client.client.setCallback(new OnMessage(echo::serve));
    echo.client.subscribe("troupe/d/owner/req");
    echo.online();
    return echo;
  }

  /** Publishes a fresh retained AVAILABLE status, so the gateway counts it online. */
  void online() throws MqttException {
    final byte[] status =
        StatusMessage.newBuilder()
            .setDeviceId("owner")
            .setAvailability(Availability.AVAILABLE)
            .build()
            .toByteArray();
    client.publish("troupe/c/demo/status/owner", status, true);
  }

  boolean isConnected() {
    return client.client.isConnected();
  }

  private void serve(final String topic, final MqttMessage message) {
    try {
      final TunnelRequest request = TunnelRequest.parseFrom(message.getPayload());
      final MqttProperties in = message.getProperties();
      final MqttProperties out = new MqttProperties();
      out.setCorrelationData(in.getCorrelationData());
      final byte[] reply =
          TunnelResponse.newBuilder()
              .setRequestId(request.getRequestId())
              .setStatus(200)
              .setBody(request.getBody())
              .setContentType(request.getContentType())
              .build()
              .toByteArray();
      client.client.publish(in.getResponseTopic(), new MqttMessage(reply, 1, false, out));
      served.incrementAndGet();
    } catch (final Exception e) {
      // garbage in the inbox (a forged request) must not stop the device serving
      garbage.incrementAndGet();
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
