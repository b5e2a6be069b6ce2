package io.troupe.agent.internal;

import java.util.Map;
import java.util.Optional;

/** A received MQTT 5 message, without Paho types. */
public record Incoming(
    String topic,
    byte[] payload,
    Optional<String> responseTopic,
    Optional<byte[]> correlation,
    Map<String, String> userProperties,
    String contentType) {

  public Incoming {
    userProperties = Map.copyOf(userProperties);
  }
}
