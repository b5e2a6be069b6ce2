package io.troupe.extension.auth;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import io.troupe.router.LoginAttempt;
import io.troupe.router.LoginResult;
import io.troupe.router.Logins;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a client's user name, password and client id with {@link Logins} (R13). Fails closed: no
 * credentials, bad credentials, a client id bound to another identity, backoff, a busy gateway or
 * any error refuses the connection with the reason. Nothing runs on the network thread.
 */
public final class TroupeAuthenticator implements SimpleAuthenticator {

  private static final Logger log = LoggerFactory.getLogger(TroupeAuthenticator.class);

  private final Logins logins;
  private final Executor executor;

  public TroupeAuthenticator(final Logins logins, final Executor executor) {
    this.logins = logins;
    this.executor = executor;
  }

  @Override
  public void onConnect(final SimpleAuthInput input, final SimpleAuthOutput output) {
    final ConnectPacket connect = input.getConnectPacket();
    final String clientId = input.getClientInformation().getClientId();
    final String address =
        input
            .getConnectionInformation()
            .getInetAddress()
            .map(InetAddress::getHostAddress)
            .orElse("");
    final LoginAttempt attempt =
        new LoginAttempt(
            clientId,
            connect.getUserName(),
            connect.getPassword().map(TroupeAuthenticator::bytes),
            address);
    final Async<SimpleAuthOutput> async =
        output.async(
            Duration.ofSeconds(10),
            TimeoutFallback.FAILURE,
            ConnackReasonCode.SERVER_UNAVAILABLE,
            "authentication timed out");
    executor.execute(
        () ->
            logins
                .login(attempt)
                .whenComplete(
                    (result, error) -> {
                      try {
                        apply(result, error, attempt, input, output);
                      } finally {
                        async.resume();
                      }
                    }));
  }

  private static void apply(
      final LoginResult result,
      final Throwable error,
      final LoginAttempt attempt,
      final SimpleAuthInput input,
      final SimpleAuthOutput output) {
    if (error != null) {
      log.warn("authentication failed with an error [client: {}]", attempt.clientId(), error);
      output.failAuthentication(ConnackReasonCode.UNSPECIFIED_ERROR, "authentication failed");
    } else if (result.isAdmitted()) {
      Principals.store(
          input.getConnectionInformation().getConnectionAttributeStore(), result.principal().get());
      output.authenticateSuccessfully();
    } else {
      log.debug(
          "refused connection [client: {}, user: {}, address: {}, status: {}, reason: {}]",
          attempt.clientId(),
          attempt.userName().orElse(""),
          attempt.address(),
          result.status().code(),
          result.reason());
      output.failAuthentication(ConnackCodes.connack(result.status()), result.reason());
    }
  }

  private static byte[] bytes(final ByteBuffer buffer) {
    final byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
