package io.troupe.extension.auth;

import com.hivemq.extension.sdk.api.interceptor.connect.ConnectInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.connect.parameter.ConnectInboundInput;
import com.hivemq.extension.sdk.api.interceptor.connect.parameter.ConnectInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.ModifiableWillPublish;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a Will as soon as its session ends, never later: a Will delay interval is set to 0. The
 * gateway checks a Will once, at CONNECT (see {@link TroupeAuthorizer}); HiveMQ publishes it later
 * without any interceptor seeing it, so a delayed Will could land after its device or identity was
 * removed, saying AVAILABLE for a device that no longer exists. Sent at once, it lands while its
 * session ends, before any removal can follow; a device removed while connected is disconnected
 * without its Will.
 */
public final class WillDelayInterceptor implements ConnectInboundInterceptor {

  private static final Logger log = LoggerFactory.getLogger(WillDelayInterceptor.class);

  @Override
  public void onConnect(final ConnectInboundInput input, final ConnectInboundOutput output) {
    final Optional<ModifiableWillPublish> will =
        output.getConnectPacket().getModifiableWillPublish();
    if (will.isPresent() && will.get().getWillDelay() > 0) {
      log.debug(
          "a delayed Will is sent at once instead [client: {}, delay: {} s]",
          input.getClientInformation().getClientId(),
          will.get().getWillDelay());
      will.get().setWillDelay(0);
    }
  }
}
