package io.troupe.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * A plain Paho MQTT 5 client for integration tests: a consumer, or a client that tries what it
 * should not. It records the reason codes the broker answers with.
 */
final class MqttTestClient implements AutoCloseable {

  /** An answer on the response topic. */
  record Answer(String topic, byte[] body, Map<String, String> properties, byte[] correlation) {
    int status() {
      return Integer.parseInt(properties.getOrDefault("status", "-1"));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** What a request got: the PUBACK reason code and reason string, and the answer if one came. */
  record Sent(int pubackCode, Optional<String> pubackReason, CompletableFuture<Answer> answer) {}

  final MqttAsyncClient client;
  final String clientId;
  private final Map<String, CompletableFuture<Answer>> waiting = new ConcurrentHashMap<>();
  final BlockingQueue<Answer> received = new LinkedBlockingQueue<>();
  private final AtomicLong correlations = new AtomicLong();
  volatile boolean disconnected;
  volatile boolean sessionPresent;

  private MqttTestClient(final MqttAsyncClient client, final String clientId) {
    this.client = client;
    this.clientId = clientId;
  }

  /** Connects; throws the broker's refusal as an {@link MqttException}. */
  static MqttTestClient connect(
      final int port, final String clientId, final String user, final String password)
      throws MqttException {
    return connect(port, clientId, user, password, 0);
  }

  /**
   * Connects asking to resume the session stored under {@code clientId} (clean start false) when
   * {@code sessionExpirySeconds} is positive; {@link #sessionPresent} says whether the broker did.
   */
  static MqttTestClient connect(
      final int port,
      final String clientId,
      final String user,
      final String password,
      final long sessionExpirySeconds)
      throws MqttException {
    return connect(port, clientId, user, password, sessionExpirySeconds, options -> {});
  }

  /** Connects with options changed by {@code tweak} (a Will…). */
  static MqttTestClient connect(
      final int port,
      final String clientId,
      final String user,
      final String password,
      final java.util.function.Consumer<MqttConnectionOptions> tweak)
      throws MqttException {
    return connect(port, clientId, user, password, 0, tweak);
  }

  private static MqttTestClient connect(
      final int port,
      final String clientId,
      final String user,
      final String password,
      final long sessionExpirySeconds,
      final java.util.function.Consumer<MqttConnectionOptions> tweak)
      throws MqttException {
    final MqttAsyncClient paho =
        new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
    final MqttTestClient c = new MqttTestClient(paho, clientId);
    paho.setCallback(c.callback());
    final MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(sessionExpirySeconds == 0);
    if (sessionExpirySeconds > 0) {
      options.setSessionExpiryInterval(sessionExpirySeconds);
    }
    options.setSocketFactory(new io.troupe.agent.mqtt.NoDelaySocketFactory());
    if (user != null) {
      options.setUserName(user);
    }
    if (password != null) {
      options.setPassword(password.getBytes(StandardCharsets.UTF_8));
    }
    tweak.accept(options);
    final IMqttToken token = paho.connect(options);
    token.waitForCompletion(10_000);
    c.sessionPresent = token.getSessionPresent();
    return c;
  }

  /** Subscribes QoS 1 and returns the SUBACK reason code. */
  int subscribe(final String filter) throws MqttException {
    try {
      final IMqttToken token = client.subscribe(new MqttSubscription(filter, 1));
      token.waitForCompletion(10_000);
      return token.getReasonCodes()[0];
    } catch (final MqttException e) {
      return e.getReasonCode();
    }
  }

  /** Publishes QoS 1 and returns the PUBACK reason code. */
  int publish(final String topic, final byte[] payload, final boolean retained)
      throws MqttException {
    final MqttMessage message = new MqttMessage(payload, 1, retained, new MqttProperties());
    return reasonCode(client.publish(topic, message));
  }

  /** An MQTT 5 request to {@code troupe/s/{address}} with this client's own response topic. */
  Sent request(final String address, final String body) throws MqttException {
    return request("troupe/s/" + address, body, "troupe/r/" + clientId + "/resp", Map.of(), null);
  }

  Sent request(
      final String topic,
      final String body,
      final String responseTopic,
      final Map<String, String> userProperties,
      final Long expirySeconds)
      throws MqttException {
    final MqttProperties properties = new MqttProperties();
    final byte[] correlation =
        ("c" + correlations.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
    if (responseTopic != null) {
      properties.setResponseTopic(responseTopic);
    }
    properties.setCorrelationData(correlation);
    if (expirySeconds != null) {
      properties.setMessageExpiryInterval(expirySeconds);
    }
    final List<UserProperty> user = new ArrayList<>();
    userProperties.forEach((k, v) -> user.add(new UserProperty(k, v)));
    properties.setUserProperties(user);
    final CompletableFuture<Answer> answer = new CompletableFuture<>();
    waiting.put(new String(correlation, StandardCharsets.UTF_8), answer);
    final MqttMessage message =
        new MqttMessage(body.getBytes(StandardCharsets.UTF_8), 1, false, properties);
    final IMqttToken token = client.publish(topic, message);
    final int code = reasonCode(token);
    final Optional<String> reason =
        Optional.ofNullable(token.getResponseProperties()).map(MqttProperties::getReasonString);
    return new Sent(code, reason, answer);
  }

  /** Publishes a binary MQTT 5 request and returns the future answer. */
  CompletableFuture<Answer> requestBytes(
      final String topic, final byte[] body, final String responseTopic) throws MqttException {
    final MqttProperties properties = new MqttProperties();
    final byte[] correlation =
        ("b" + correlations.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
    properties.setResponseTopic(responseTopic);
    properties.setCorrelationData(correlation);
    final CompletableFuture<Answer> answer = new CompletableFuture<>();
    waiting.put(new String(correlation, StandardCharsets.UTF_8), answer);
    client.publish(topic, new MqttMessage(body, 1, false, properties)).waitForCompletion(10_000);
    return answer;
  }

  /** Calls {@code address} and waits for the answer. */
  Answer call(final String address, final String body) throws Exception {
    return request(address, body).answer().get(20, TimeUnit.SECONDS);
  }

  private static int reasonCode(final IMqttToken token) throws MqttException {
    try {
      token.waitForCompletion(10_000);
      final int[] codes = token.getReasonCodes();
      return codes == null || codes.length == 0 ? 0 : codes[0];
    } catch (final MqttException e) {
      if (e.getReasonCode() >= 0x80 && e.getReasonCode() <= 0xA2) {
        return e.getReasonCode();
      }
      throw e;
    }
  }

  private MqttCallback callback() {
    return new MqttCallback() {
      @Override
      public void disconnected(final MqttDisconnectResponse response) {
        disconnected = true;
      }

      @Override
      public void mqttErrorOccurred(final MqttException exception) {}

      @Override
      public void messageArrived(final String topic, final MqttMessage message) {
        final Map<String, String> props = new ConcurrentHashMap<>();
        final MqttProperties p = message.getProperties();
        if (p != null && p.getUserProperties() != null) {
          p.getUserProperties().forEach(u -> props.put(u.getKey(), u.getValue()));
        }
        final byte[] correlation = p == null ? null : p.getCorrelationData();
        final Answer answer = new Answer(topic, message.getPayload(), props, correlation);
        received.add(answer);
        if (correlation != null) {
          final CompletableFuture<Answer> f =
              waiting.remove(new String(correlation, StandardCharsets.UTF_8));
          if (f != null) {
            f.complete(answer);
          }
        }
      }

      @Override
      public void deliveryComplete(final IMqttToken token) {}

      @Override
      public void connectComplete(final boolean reconnect, final String serverURI) {}

      @Override
      public void authPacketArrived(final int reasonCode, final MqttProperties properties) {}
    };
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect().waitForCompletion(5_000);
      }
      client.close(true);
    } catch (final MqttException e) {
      // closing after the broker went away
    }
  }
}
