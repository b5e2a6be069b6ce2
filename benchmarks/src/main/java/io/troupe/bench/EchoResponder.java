package io.troupe.bench;

import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The direct path's responder: a plain MQTT 5 client that echoes requests to their response topic.
 */
final class EchoResponder implements AutoCloseable {

  private final MqttAsyncClient client;

  EchoResponder(final MqttAsyncClient client, final String requestTopic) throws MqttException {
    this.client = client;
    client.setCallback(
        (OnMessage)
            (topic, message) -> {
              final MqttProperties in = message.getProperties();
              final MqttProperties out = new MqttProperties();
              out.setCorrelationData(in.getCorrelationData());
              client.publish(
                  in.getResponseTopic(), new MqttMessage(message.getPayload(), 1, false, out));
            });
    client.subscribe(new MqttSubscription(requestTopic, 1)).waitForCompletion(10_000);
  }

  @Override
  public void close() throws MqttException {
    client.disconnect().waitForCompletion(5_000);
    client.close();
  }
}
