package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.TunnelRequest;
import io.troupe.proto.v1.TunnelResponse;
import io.troupe.proto.v1.UpdateCommunity;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * One MQTT session of the access-policy tests that calls the gateway API and, for a device, serves
 * an {@code echo} service by answering each forwarded request with its body: a bare Paho client, no
 * agent process, so a device is ready in one round trip per API call.
 */
final class PolicySession implements AutoCloseable {

  private static final AtomicLong correlations = new AtomicLong();

  final String clientId;
  final MqttTestClient client;
  private final MqttAsyncClient paho;
  private final Map<String, CompletableFuture<byte[]>> waiting = new ConcurrentHashMap<>();

  PolicySession(final int port, final String clientId, final String user, final String password)
      throws Exception {
    this.client = MqttTestClient.connect(port, clientId, user, password);
    this.clientId = clientId;
    this.paho = client.client;
    paho.setCallback(
        new OnMessage(
            (topic, message) -> {
              if (topic.startsWith("troupe/d/")) {
                echo(message);
                return;
              }
              final byte[] c = message.getProperties().getCorrelationData();
              final CompletableFuture<byte[]> f =
                  c == null ? null : waiting.remove(new String(c, StandardCharsets.UTF_8));
              if (f != null) {
                f.complete(message.getPayload());
              }
            }));
    client.subscribe("troupe/r/" + clientId + "/#");
  }

  /** Sends {@code request} to the gateway API and waits for the answer. */
  GatewayResponse api(final GatewayRequest request) throws Exception {
    final String correlation = Long.toString(correlations.incrementAndGet());
    final CompletableFuture<byte[]> answer = new CompletableFuture<>();
    waiting.put(correlation, answer);
    final MqttProperties properties = new MqttProperties();
    properties.setResponseTopic("troupe/r/" + clientId + "/api");
    properties.setCorrelationData(correlation.getBytes(StandardCharsets.UTF_8));
    paho.publish("troupe/gw/api", new MqttMessage(request.toByteArray(), 1, false, properties))
        .waitForCompletion(10_000);
    return GatewayResponse.parseFrom(answer.get(10, TimeUnit.SECONDS));
  }

  /**
   * This device joins {@code community} (creating it; or let in first by {@code owner}'s session),
   * registers {@code echo} there and serves it.
   */
  void joinAndServe(final String community, final Optional<PolicySession> owner) throws Exception {
    if (owner.isPresent()) {
      owner
          .get()
          .api(
              GatewayRequest.newBuilder()
                  .setUpdateCommunity(
                      UpdateCommunity.newBuilder().setCommunity(community).addAddMembers(clientId))
                  .build());
    }
    final GatewayResponse joined =
        api(
            GatewayRequest.newBuilder()
                .setJoinCommunity(
                    JoinCommunity.newBuilder().setCommunity(community).setCreateIfAbsent(true))
                .build());
    assertThat(joined.getStatus()).as(joined.getReason()).isIn(200, 201);
    final GatewayResponse registered =
        api(
            GatewayRequest.newBuilder()
                .setRegisterService(
                    RegisterService.newBuilder().setCommunity(community).setService("echo"))
                .build());
    assertThat(registered.getStatus()).as(registered.getReason()).isIn(200, 201);
    serveEcho(community);
  }

  /** Serves the echo service this device registered in {@code community}. */
  void serveEcho(final String community) throws Exception {
    client.subscribe("troupe/d/" + clientId + "/req");
    client.publish(
        "troupe/c/" + community + "/status/" + clientId,
        StatusMessage.newBuilder()
            .setDeviceId(clientId)
            .setAvailability(Availability.AVAILABLE)
            .build()
            .toByteArray(),
        true);
  }

  private void echo(final MqttMessage message) {
    try {
      final TunnelRequest request = TunnelRequest.parseFrom(message.getPayload());
      final MqttProperties out = new MqttProperties();
      out.setCorrelationData(message.getProperties().getCorrelationData());
      paho.publish(
          message.getProperties().getResponseTopic(),
          new MqttMessage(
              TunnelResponse.newBuilder()
                  .setRequestId(request.getRequestId())
                  .setStatus(200)
                  .setBody(request.getBody())
                  .build()
                  .toByteArray(),
              1,
              false,
              out));
    } catch (final Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
