package io.troupe.agent.internal;

import java.util.Map;
import java.util.Optional;

/** An MQTT 5 message to publish (QoS 1), without Paho types. */
public record Outgoing(
    String topic,
    byte[] payload,
    boolean retained,
    Optional<String> responseTopic,
    Optional<byte[]> correlation,
    Map<String, String> userProperties,
    String contentType,
    Optional<Long> expirySeconds) {

  public Outgoing {
    userProperties = Map.copyOf(userProperties);
  }

  public static Outgoing of(final String topic, final byte[] payload) {
    return new Outgoing(
        topic, payload, false, Optional.empty(), Optional.empty(), Map.of(), "", Optional.empty());
  }

  public Outgoing asRetained() {
    return new Outgoing(
        topic,
        payload,
        true,
        responseTopic,
        correlation,
        userProperties,
        contentType,
        expirySeconds);
  }

  public Outgoing reply(final String to, final Optional<byte[]> correlationData) {
    return new Outgoing(
        to,
        payload,
        false,
        Optional.empty(),
        correlationData,
        userProperties,
        contentType,
        Optional.empty());
  }
}
