package io.troupe.it;

import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A Paho callback that only hands arriving messages on, and notes a lost connection. */
final class OnMessage implements MqttCallback {

  private final BiConsumer<String, MqttMessage> handler;
  volatile String lost;

  OnMessage(final BiConsumer<String, MqttMessage> handler) {
    this.handler = handler;
  }

  @Override
  public void messageArrived(final String topic, final MqttMessage message) {
    handler.accept(topic, message);
  }

  @Override
  public void disconnected(final MqttDisconnectResponse response) {
    lost = String.valueOf(response);
  }

  @Override
  public void mqttErrorOccurred(final MqttException exception) {}

  @Override
  public void deliveryComplete(final IMqttToken token) {}

  @Override
  public void connectComplete(final boolean reconnect, final String serverUri) {}

  @Override
  public void authPacketArrived(final int reasonCode, final MqttProperties properties) {}
}
