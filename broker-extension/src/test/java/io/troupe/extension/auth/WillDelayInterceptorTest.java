package io.troupe.extension.auth;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.hivemq.extension.sdk.api.client.parameter.ClientInformation;
import com.hivemq.extension.sdk.api.interceptor.connect.parameter.ConnectInboundInput;
import com.hivemq.extension.sdk.api.interceptor.connect.parameter.ConnectInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.ModifiableConnectPacket;
import com.hivemq.extension.sdk.api.packets.publish.ModifiableWillPublish;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A Will delay interval becomes 0 at CONNECT; a Will without a delay is left as it is. */
class WillDelayInterceptorTest {

  private final ConnectInboundInput input = mock(ConnectInboundInput.class);
  private final ConnectInboundOutput output = mock(ConnectInboundOutput.class);
  private final ModifiableConnectPacket packet = mock(ModifiableConnectPacket.class);
  private final ModifiableWillPublish will = mock(ModifiableWillPublish.class);

  private void connectWithWillDelay(final long seconds) {
    final ClientInformation client = mock(ClientInformation.class);
    when(client.getClientId()).thenReturn("dev1");
    when(input.getClientInformation()).thenReturn(client);
    when(output.getConnectPacket()).thenReturn(packet);
    when(packet.getModifiableWillPublish()).thenReturn(Optional.of(will));
    when(will.getWillDelay()).thenReturn(seconds);
  }

  @Test
  void willDelay_ofAnHour_isSetToZero() {
    connectWithWillDelay(3_600);
    new WillDelayInterceptor().onConnect(input, output);
    verify(will).setWillDelay(0);
  }

  @Test
  void willWithoutDelay_isLeftAlone() {
    connectWithWillDelay(0);
    new WillDelayInterceptor().onConnect(input, output);
    verify(will, never()).setWillDelay(0);
  }
}
