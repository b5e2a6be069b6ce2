package io.troupe.bench;

import io.troupe.agent.internal.BoundedPublisher;
import io.troupe.agent.internal.Outgoing;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The direct path's responder: a plain MQTT 5 client that echoes requests to their response topic.
 * Its answers go through the agent's {@link BoundedPublisher}, as the routed agent's do, so that a
 * burst beyond the broker's receive maximum waits for a slot instead of failing: the baseline is
 * tuned like the routed path.
 */
final class EchoResponder implements AutoCloseable {

  /** HiveMQ's default receive maximum, the agent's own starting limit. */
  private static final int IN_FLIGHT = 10;

  private final MqttAsyncClient client;
  private final BoundedPublisher answers;

  EchoResponder(final MqttAsyncClient client, final String requestTopic) throws MqttException {
    this.client = client;
    this.answers = new BoundedPublisher(this::trySend, IN_FLIGHT);
    client.setCallback(
        (OnMessage)
            (topic, message) -> {
              final MqttProperties in = message.getProperties();
              answers.publish(
                  Outgoing.of(in.getResponseTopic(), message.getPayload())
                      .reply(in.getResponseTopic(), Optional.ofNullable(in.getCorrelationData())));
            });
    client.subscribe(new MqttSubscription(requestTopic, 1)).waitForCompletion(10_000);
  }

  private boolean trySend(final Outgoing answer, final CompletableFuture<Void> done) {
    final MqttProperties out = new MqttProperties();
    answer.correlation().ifPresent(out::setCorrelationData);
    try {
      client.publish(
          answer.topic(),
          new MqttMessage(answer.payload(), 1, false, out),
          null,
          new MqttActionListener() {
            @Override
            public void onSuccess(final IMqttToken token) {
              done.complete(null);
            }

            @Override
            public void onFailure(final IMqttToken token, final Throwable error) {
              done.completeExceptionally(error);
            }
          });
      return true;
    } catch (final MqttException e) {
      if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
        return false;
      }
      done.completeExceptionally(e);
      return true;
    }
  }

  @Override
  public void close() throws MqttException {
    client.disconnect().waitForCompletion(5_000);
    client.close();
  }
}
