package io.troupe.bench;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The consumer side of both paths: MQTT 5 requests with correlation data, answers matched back. The
 * same class drives the direct and the routed path, so only the path differs.
 */
final class Requester implements AutoCloseable {

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

  @Override
  public void close() throws MqttException {
    client.disconnect().waitForCompletion(5_000);
    client.close();
  }
}
