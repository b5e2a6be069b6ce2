package io.troupe.bench;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
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
        new MqttCallback() {
          @Override
          public void messageArrived(final String topic, final MqttMessage message)
              throws MqttException {
            final MqttProperties in = message.getProperties();
            final MqttProperties out = new MqttProperties();
            out.setCorrelationData(in.getCorrelationData());
            client.publish(
                in.getResponseTopic(), new MqttMessage(message.getPayload(), 1, false, out));
          }

          @Override
          public void disconnected(final MqttDisconnectResponse response) {}

          @Override
          public void mqttErrorOccurred(final MqttException exception) {}

          @Override
          public void deliveryComplete(final IMqttToken token) {}

          @Override
          public void connectComplete(final boolean reconnect, final String serverURI) {}

          @Override
          public void authPacketArrived(final int reasonCode, final MqttProperties properties) {}
        });
    client.subscribe(new MqttSubscription(requestTopic, 1)).waitForCompletion(10_000);
  }

  @Override
  public void close() throws MqttException {
    client.disconnect().waitForCompletion(5_000);
    client.close();
  }
}
