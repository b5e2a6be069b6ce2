package io.troupe.bench;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * The consumer side of both paths: MQTT 5 requests with correlation data, answers matched back. The
 * same class drives the direct and the routed path, so only the path differs.
 */
final class Requester implements AutoCloseable {

  /** An answer whose status is not 2xx: the call was answered but not served. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Refused(final int status, final String reason) {
      super("status " + status + (reason == null ? "" : " " + reason), null, false, false);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  private final MqttAsyncClient client;
  private final String requestTopic;
  private final String responseTopic;
  private final Map<Long, CompletableFuture<MqttMessage>> waiting = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  Requester(final MqttAsyncClient client, final String requestTopic, final String responseTopic)
      throws MqttException {
    this.client = client;
    this.requestTopic = requestTopic;
    this.responseTopic = responseTopic;
    client.setCallback(
        (OnMessage)
            (topic, message) -> {
              final byte[] correlation = message.getProperties().getCorrelationData();
              if (correlation != null && correlation.length == Long.BYTES) {
                final CompletableFuture<MqttMessage> f =
                    waiting.remove(ByteBuffer.wrap(correlation).getLong());
                if (f != null) {
                  f.complete(message);
                }
              }
            });
    client.subscribe(new MqttSubscription(responseTopic, 1)).waitForCompletion(10_000);
  }

  /** Any answer with a matching correlation, whatever its status. */
  CompletableFuture<MqttMessage> call(final byte[] body) {
    final long id = ids.incrementAndGet();
    final CompletableFuture<MqttMessage> answer = new CompletableFuture<>();
    waiting.put(id, answer);
    final MqttProperties properties = new MqttProperties();
    properties.setResponseTopic(responseTopic);
    properties.setCorrelationData(ByteBuffer.allocate(Long.BYTES).putLong(id).array());
    try {
      client.publish(requestTopic, new MqttMessage(body, 1, false, properties));
    } catch (final MqttException e) {
      waiting.remove(id);
      answer.completeExceptionally(e);
    }
    return answer;
  }

  /**
   * A call that completes only when it is served, on a 2xx answer; any other answer fails it with
   * {@link Refused} (a 503 or 504 answers quickly, but serves nothing).
   */
  CompletableFuture<MqttMessage> serve(final byte[] body) {
    return call(body)
        .thenApply(
            m -> {
              final int status = status(m);
              if (status < 200 || status > 299) {
                throw new Refused(status, property(m, "reason"));
              }
              return m;
            });
  }

  /**
   * The answer's status as DESIGN.md's "status codes" and the agent's {@code Calls} read it: the
   * {@code status} user property, 200 when absent (the direct path's echo sets none), 502 when it
   * is not a number.
   */
  static int status(final MqttMessage m) {
    final String text = property(m, "status");
    if (text == null) {
      return 200;
    }
    try {
      return Integer.parseInt(text.trim());
    } catch (final NumberFormatException e) {
      return 502;
    }
  }

  /** The first user property named {@code name}, or null. */
  static String property(final MqttMessage m, final String name) {
    final List<UserProperty> properties = m.getProperties().getUserProperties();
    if (properties != null) {
      for (final UserProperty p : properties) {
        if (p.getKey().equals(name)) {
          return p.getValue();
        }
      }
    }
    return null;
  }

  @Override
  public void close() throws MqttException {
    client.disconnect().waitForCompletion(5_000);
    client.close();
  }
}
