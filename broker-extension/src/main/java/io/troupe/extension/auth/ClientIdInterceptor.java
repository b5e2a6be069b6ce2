package io.troupe.extension.auth;

import com.hivemq.extension.sdk.api.interceptor.connect.ConnectInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.connect.parameter.ConnectInboundInput;
import com.hivemq.extension.sdk.api.interceptor.connect.parameter.ConnectInboundOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import io.troupe.router.Logins;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forces clean start on a CONNECT that asks to resume a session, unless the identity it names has
 * used that client id before: a newly bound client id never inherits an earlier holder's stored
 * subscriptions and queued messages. Runs before authentication, which then refuses a wrong
 * password or a client id bound to someone else; so trusting the named identity here grants
 * nothing.
 */
public final class ClientIdInterceptor implements ConnectInboundInterceptor {

  private static final Logger log = LoggerFactory.getLogger(ClientIdInterceptor.class);

  private final Logins logins;

  public ClientIdInterceptor(final Logins logins) {
    this.logins = logins;
  }

  @Override
  public void onConnect(final ConnectInboundInput input, final ConnectInboundOutput output) {
    final ConnectPacket connect = input.getConnectPacket();
    if (connect.getCleanStart()) {
      return;
    }
    final String clientId = input.getClientInformation().getClientId();
    final String user = connect.getUserName().orElse("");
    try {
      if (!logins.mayResumeSession(clientId, user)) {
        output.getConnectPacket().setCleanStart(true);
        log.debug("new client id binding starts clean [client: {}, user: {}]", clientId, user);
      }
    } catch (final RuntimeException e) {
      log.warn("could not check the client id; starting clean [client: {}]", clientId, e);
      output.getConnectPacket().setCleanStart(true);
    }
  }
}
