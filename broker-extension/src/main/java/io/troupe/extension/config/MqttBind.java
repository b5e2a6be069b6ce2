package io.troupe.extension.config;

import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.client.parameter.ListenerType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The address the broker's MQTT listeners are bound to, which the CoAP bridge's DTLS endpoint
 * follows unless configured: a gateway started on loopback must not open DTLS to the network.
 */
public final class MqttBind {

  private MqttBind() {}

  /**
   * The one address every TCP (or TLS over TCP) listener is bound to; empty when there is none, or
   * they are bound to different addresses (then only an explicit {@code <bind>} can choose).
   */
  public static Optional<InetAddress> of(final Collection<? extends Listener> listeners) {
    final Set<String> addresses =
        listeners.stream()
            .filter(
                l ->
                    l.getListenerType() == ListenerType.TCP_LISTENER
                        || l.getListenerType() == ListenerType.TLS_TCP_LISTENER)
            .map(Listener::getBindAddress)
            .collect(Collectors.toSet());
    if (addresses.size() != 1) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(addresses.iterator().next()));
    } catch (final UnknownHostException e) {
      return Optional.empty();
    }
  }
}
