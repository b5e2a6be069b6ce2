package io.troupe.agent.internal;

import io.troupe.agent.api.TroupeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/** Our messages to Paho's and back, and Paho's reason codes to {@link TroupeException}s; pure. */
final class PahoMessages {

  private PahoMessages() {}

  static MqttMessage toPaho(final Outgoing message) {
    return new MqttMessage(message.payload(), 1, message.retained(), properties(message));
  }

  private static MqttProperties properties(final Outgoing message) {
    final MqttProperties properties = new MqttProperties();
    message.responseTopic().ifPresent(properties::setResponseTopic);
    message.correlation().ifPresent(properties::setCorrelationData);
    message.expirySeconds().ifPresent(properties::setMessageExpiryInterval);
    if (!message.contentType().isEmpty()) {
      properties.setContentType(message.contentType());
    }
    if (!message.userProperties().isEmpty()) {
      final List<UserProperty> user = new ArrayList<>();
      message.userProperties().forEach((k, v) -> user.add(new UserProperty(k, v)));
      properties.setUserProperties(user);
    }
    return properties;
  }

  static Incoming fromPaho(final String topic, final MqttMessage message) {
    final MqttProperties p = message.getProperties();
    final Map<String, String> user = new HashMap<>();
    if (p != null && p.getUserProperties() != null) {
      p.getUserProperties().forEach(u -> user.put(u.getKey(), u.getValue()));
    }
    return new Incoming(
        topic,
        message.getPayload(),
        Optional.ofNullable(p == null ? null : p.getResponseTopic()),
        Optional.ofNullable(p == null ? null : p.getCorrelationData()),
        user,
        p == null || p.getContentType() == null ? "" : p.getContentType());
  }

  /** A PUBACK failure code with the broker's reason string. */
  static TroupeException refusal(final int code, final MqttProperties properties) {
    return PubackRefusal.toException(
        code, properties == null ? null : properties.getReasonString());
  }

  /** The first SUBACK failure code as a 403 naming its filter; empty when all were granted. */
  static Optional<TroupeException> subscriptionRefusal(final int[] codes, final String[] filters) {
    for (int i = 0; codes != null && i < codes.length; i++) {
      if (codes[i] >= 0x80) {
        return Optional.of(
            new TroupeException(
                403,
                "subscription to "
                    + filters[Math.min(i, filters.length - 1)]
                    + " refused (0x"
                    + Integer.toHexString(codes[i])
                    + ")"));
      }
    }
    return Optional.empty();
  }

  /**
   * A failed CONNECT: 403 when the broker refused the credentials, 429 when an access policy's
   * connection limit refused it (CONNACK 0x97, quota exceeded: close another session of the
   * identity), else 503.
   */
  static TroupeException connectFailure(final String where, final Throwable error) {
    final int code = error instanceof MqttException m ? m.getReasonCode() : -1;
    final String why =
        error.getCause() == null || error.getCause() == error
            ? String.valueOf(error.getMessage())
            : error.getMessage() + " (" + error.getCause().getMessage() + ")";
    final Throwable untrusted = tlsRefusal(error);
    if (untrusted != null) {
      return new TroupeException(
          503,
          "the gateway at "
              + where
              + " is not trusted: its TLS certificate failed the check ("
              + untrusted.getMessage()
              + "); give --tls-fingerprint SHA256 or --tls-trust FILE of the gateway's certificate",
          error);
    }
    return switch (code) {
      case 0x85, 0x86, 0x87, 0x8C ->
          new TroupeException(
              403, "the broker at " + where + " refused the credentials (" + why + ")", error);
      case 0x97 ->
          new TroupeException(
              429,
              "the gateway at "
                  + where
                  + " refused the connection: the identity has as many connections open as an"
                  + " access policy allows ("
                  + why
                  + ")",
              error);
      default -> new TroupeException(503, "cannot connect to " + where + ": " + why, error);
    };
  }

  /** The TLS handshake failure among {@code error}'s causes, or null. */
  private static Throwable tlsRefusal(final Throwable error) {
    for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof javax.net.ssl.SSLException) {
        return t;
      }
    }
    return null;
  }
}
