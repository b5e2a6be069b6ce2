package io.troupe.extension.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.client.parameter.ListenerType;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class MqttBindTest {

  @Test
  void oneTcpListenerOnLoopback_isLoopback() throws Exception {
    assertThat(MqttBind.of(List.of(listener(ListenerType.TCP_LISTENER, "127.0.0.1"))))
        .contains(InetAddress.getByName("127.0.0.1"));
  }

  @Test
  void websocketListenersDoNotCount() throws Exception {
    assertThat(
            MqttBind.of(
                List.of(
                    listener(ListenerType.TLS_TCP_LISTENER, "10.0.0.7"),
                    listener(ListenerType.WEBSOCKET_LISTENER, "0.0.0.0"))))
        .contains(InetAddress.getByName("10.0.0.7"));
  }

  @Test
  void listenersOnDifferentAddresses_chooseNone() {
    assertThat(
            MqttBind.of(
                List.of(
                    listener(ListenerType.TCP_LISTENER, "127.0.0.1"),
                    listener(ListenerType.TLS_TCP_LISTENER, "0.0.0.0"))))
        .isEmpty();
    assertThat(MqttBind.of(List.of())).isEmpty();
  }

  private static Listener listener(final ListenerType type, final String address) {
    final Listener l = mock(Listener.class);
    when(l.getListenerType()).thenReturn(type);
    when(l.getBindAddress()).thenReturn(address);
    return l;
  }
}
