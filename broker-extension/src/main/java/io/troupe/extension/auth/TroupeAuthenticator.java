package io.troupe.extension.auth;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import io.troupe.router.GatewayRouter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a client's user name and password against the gateway's identities (R13). Fails closed: no
 * credentials, bad credentials or any error refuses the connection with the reason. The password
 * hash is computed off the network thread.
 */
public final class TroupeAuthenticator implements SimpleAuthenticator {

  private static final Logger log = LoggerFactory.getLogger(TroupeAuthenticator.class);

  private final GatewayRouter router;
  private final Executor executor;

  public TroupeAuthenticator(final GatewayRouter router, final Executor executor) {
    this.router = router;
    this.executor = executor;
  }

  @Override
  public void onConnect(final SimpleAuthInput input, final SimpleAuthOutput output) {
    final ConnectPacket connect = input.getConnectPacket();
    final String clientId = input.getClientInformation().getClientId();
    final Async<SimpleAuthOutput> async =
        output.async(
            Duration.ofSeconds(10),
            TimeoutFallback.FAILURE,
            ConnackReasonCode.SERVER_UNAVAILABLE,
            "authentication timed out");
    executor.execute(
        () -> {
          try {
            final GatewayRouter.Authentication result =
                router.authenticate(
                    clientId,
                    connect.getUserName(),
                    connect.getPassword().map(TroupeAuthenticator::bytes));
            if (result.principal().isPresent()) {
              Principals.store(
                  input.getConnectionInformation().getConnectionAttributeStore(),
                  result.principal().get());
              output.authenticateSuccessfully();
            } else {
              log.debug(
                  "refused connection [client: {}, user: {}, reason: {}]",
                  clientId,
                  connect.getUserName().orElse(""),
                  result.reason());
              output.failAuthentication(
                  ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, result.reason());
            }
          } catch (final RuntimeException e) {
            log.warn("authentication failed with an error [client: {}]", clientId, e);
            output.failAuthentication(ConnackReasonCode.UNSPECIFIED_ERROR, "authentication failed");
          } finally {
            async.resume();
          }
        });
  }

  private static byte[] bytes(final ByteBuffer buffer) {
    final byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
