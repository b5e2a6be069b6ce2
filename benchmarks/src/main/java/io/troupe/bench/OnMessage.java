package io.troupe.bench;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A Paho callback that only handles arriving messages; the benchmark ignores the other events. */
@FunctionalInterface
interface OnMessage extends MqttCallback {

  @Override
  void messageArrived(String topic, MqttMessage message) throws MqttException;

  @Override
  default void disconnected(final MqttDisconnectResponse response) {}

  @Override
  default void mqttErrorOccurred(final MqttException exception) {}

  @Override
  default void deliveryComplete(final IMqttToken token) {}

  @Override
  default void connectComplete(final boolean reconnect, final String serverURI) {}

  @Override
  default void authPacketArrived(final int reasonCode, final MqttProperties properties) {}
}
