package io.troupe.bench;

import io.troupe.agent.mqtt.BoundedPublisher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * Tuned as the routed echo agent is: its answers go through the agent's published {@link
 * BoundedPublisher} with the agent's limit (the broker's receive maximum, at most {@link
 * BenchSupport#MAX_IN_FLIGHT}), on as many handler threads as the agent, over a TCP_NODELAY socket.
 */
final class EchoResponder implements AutoCloseable {

  /** An answer: the request's response topic, body and correlation data. */
  private record Answer(String topic, byte[] payload, byte[] correlation) {}

  private final MqttAsyncClient client;
  private final int receiveMaximum;
  private final BoundedPublisher<Answer> answers;
  private final ExecutorService handlers =
      Executors.newFixedThreadPool(
          BenchSupport.HANDLER_THREADS,
          r -> {
            final Thread t = new Thread(r, "echo-responder");
            t.setDaemon(true);
            return t;
          });

  EchoResponder(final BenchSupport.Connection connection, final String requestTopic)
      throws MqttException {
    this.client = connection.client();
    this.receiveMaximum = connection.receiveMaximum();
    this.answers =
        new BoundedPublisher<>(
            this::trySend, Math.min(BenchSupport.MAX_IN_FLIGHT, connection.receiveMaximum()));
    client.setCallback(
        (OnMessage)
            (topic, message) -> {
              final MqttProperties in = message.getProperties();
              final Answer answer =
                  new Answer(in.getResponseTopic(), message.getPayload(), in.getCorrelationData());
              handlers.execute(() -> answers.publish(answer));
            });
    client.subscribe(new MqttSubscription(requestTopic, 1)).waitForCompletion(10_000);
  }

  /** The most answers it publishes at once. */
  int inFlightLimit() {
    return answers.limit();
  }

  /** The receive maximum the broker granted. */
  int receiveMaximum() {
    return receiveMaximum;
  }

  private boolean trySend(final Answer answer, final CompletableFuture<Void> done) {
    final MqttProperties out = new MqttProperties();
    if (answer.correlation() != null) {
      out.setCorrelationData(answer.correlation());
    }
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
    handlers.shutdownNow();
    client.disconnect().waitForCompletion(5_000);
    client.close();
  }
}
