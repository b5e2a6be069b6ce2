package io.troupe.extension.auth;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.EnhancedAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.EnhancedAuthConnectInput;
import com.hivemq.extension.sdk.api.auth.parameter.EnhancedAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.EnhancedAuthOutput;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.packets.general.DisconnectedReasonCode;
import io.troupe.router.KeyLogins;
import io.troupe.router.LoginAttempt;
import io.troupe.router.LoginResult;
import io.troupe.router.Logins;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every CONNECT (R13). Without an authentication method: the user name, password and
 * client id, checked by {@link Logins}. With {@code TROUPE-KEY-1} or {@code TROUPE-MACHINE-1}: the
 * challenge of {@link KeyLogins} (the exchange is in {@code auth.proto}); the challenge is kept in
 * the connection's attribute store between the CONNECT and the client's AUTH. Fails closed: no
 * credentials, bad credentials, a client id bound to another identity, backoff, a busy gateway, an
 * unknown method or any error refuses the connection with the reason. Nothing runs on the network
 * thread.
 */
public final class TroupeAuthenticator implements EnhancedAuthenticator {

  private static final Logger log = LoggerFactory.getLogger(TroupeAuthenticator.class);
  private static final String CHALLENGE = "troupe.challenge";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Logins logins;
  private final KeyLogins keyLogins;
  private final Executor executor;

  public TroupeAuthenticator(
      final Logins logins, final KeyLogins keyLogins, final Executor executor) {
    this.logins = logins;
    this.keyLogins = keyLogins;
    this.executor = executor;
  }

  @Override
  public void onConnect(final EnhancedAuthConnectInput input, final EnhancedAuthOutput output) {
    final ConnectPacket connect = input.getConnectPacket();
    final String clientId = input.getClientInformation().getClientId();
    final String address = addressOf(input.getConnectionInformation());
    final Optional<String> method = connect.getAuthenticationMethod();
    if (method.isPresent()) {
      final KeyLogins.Attempt attempt =
          new KeyLogins.Attempt(
              method.get(),
              clientId,
              connect.getUserName(),
              connect.getAuthenticationData().map(TroupeAuthenticator::bytes).orElse(new byte[0]),
              address);
      final KeyLogins.Result started = keyLogins.start(attempt);
      if (started.refusal().isPresent()) {
        refuse(started.refusal().get(), clientId, connect.getUserName(), address, output);
        return;
      }
      final KeyLogins.Challenge challenge = started.challenge().orElseThrow();
      input
          .getConnectionInformation()
          .getConnectionAttributeStore()
          .put(CHALLENGE, ByteBuffer.wrap(challenge.bytes()));
      output.continueAuthentication(challenge.serverNonce());
      return;
    }
    final LoginAttempt attempt =
        new LoginAttempt(
            clientId,
            connect.getUserName(),
            connect.getPassword().map(TroupeAuthenticator::bytes),
            address);
    checkAsync(() -> logins.login(attempt), clientId, connect.getUserName(), input, output);
  }

  @Override
  public void onAuth(final EnhancedAuthInput input, final EnhancedAuthOutput output) {
    final String clientId = input.getClientInformation().getClientId();
    final ConnectionAttributeStore attributes =
        input.getConnectionInformation().getConnectionAttributeStore();
    final Optional<byte[]> kept = attributes.get(CHALLENGE).map(TroupeAuthenticator::bytes);
    attributes.remove(CHALLENGE); // one answer per challenge
    if (kept.isEmpty()) {
      output.failAuthentication(
          DisconnectedReasonCode.PROTOCOL_ERROR, "no challenge to answer on this connection");
      return;
    }
    final KeyLogins.Challenge challenge =
        KeyLogins.Challenge.of(kept.get(), addressOf(input.getConnectionInformation()));
    final byte[] proof = input.getAuthPacket().getAuthenticationDataAsArray().orElse(new byte[0]);
    checkAsync(
        () -> CompletableFuture.supplyAsync(() -> keyLogins.answer(challenge, proof), executor),
        clientId,
        challenge.attempt().userName(),
        input,
        output);
  }

  /** Runs {@code check} off the network thread and applies its outcome. */
  private void checkAsync(
      final Supplier<CompletableFuture<LoginResult>> check,
      final String clientId,
      final Optional<String> user,
      final com.hivemq.extension.sdk.api.parameter.ClientBasedInput input,
      final EnhancedAuthOutput output) {
    final Async<EnhancedAuthOutput> async =
        output.async(
            TIMEOUT,
            TimeoutFallback.FAILURE,
            DisconnectedReasonCode.SERVER_UNAVAILABLE,
            "authentication timed out");
    final String address = addressOf(input.getConnectionInformation());
    executor.execute(
        () ->
            check
                .get()
                .whenComplete(
                    (result, error) -> {
                      try {
                        if (error != null) {
                          log.warn(
                              "authentication failed with an error [client: {}]", clientId, error);
                          output.failAuthentication(
                              DisconnectedReasonCode.UNSPECIFIED_ERROR, "authentication failed");
                        } else if (result.isAdmitted()) {
                          Principals.store(
                              input.getConnectionInformation().getConnectionAttributeStore(),
                              result.principal().get());
                          output.authenticateSuccessfully();
                        } else {
                          refuse(result, clientId, user, address, output);
                        }
                      } finally {
                        async.resume();
                      }
                    }));
  }

  private static void refuse(
      final LoginResult result,
      final String clientId,
      final Optional<String> user,
      final String address,
      final EnhancedAuthOutput output) {
    log.debug(
        "refused connection [client: {}, user: {}, address: {}, status: {}, reason: {}]",
        clientId,
        user.orElse(""),
        address,
        result.status().code(),
        result.reason());
    output.failAuthentication(ConnackCodes.refusal(result.status()), result.reason());
  }

  private static String addressOf(final ConnectionInformation connection) {
    return connection.getInetAddress().map(InetAddress::getHostAddress).orElse("");
  }

  private static byte[] bytes(final ByteBuffer buffer) {
    final byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
