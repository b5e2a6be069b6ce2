package io.troupe.agent.mqtt;

import com.google.protobuf.ByteString;
import io.troupe.contract.KeyAuth;
import io.troupe.proto.v1.AuthProof;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyPair;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

/**
 * The client side of MQTT 5 enhanced authentication by key ({@code TROUPE-KEY-1}, {@code
 * TROUPE-MACHINE-1}; the exchange is in {@code auth.proto}) for Paho. Paho 1.2.5 sends a CONNECT
 * with an authentication method and data, and hands a server's AUTH packet to {@code
 * MqttCallback.authPacketArrived}, but cannot answer it before the CONNACK: its {@code
 * authenticate} refuses to send while not connected, and its sender holds every packet but a
 * CONNECT until then. So the answer is given beneath Paho: the sockets of this factory read the
 * gateway's AUTH packet themselves, write the proof, and pass Paho everything else from the CONNACK
 * on, untouched.
 *
 * <p>One factory serves one connection attempt: {@link #applyTo} puts its method and fresh client
 * nonce into the options.
 */
public final class KeyAuthSocketFactory extends SocketFactory {

  private final SocketFactory sockets;
  private final String method;
  private final byte[] clientNonce = KeyAuth.nonce(KeyAuth.MIN_NONCE_BYTES * 2);
  private final UnaryOperator<byte[]> prover;

  private KeyAuthSocketFactory(
      final SocketFactory sockets, final String method, final UnaryOperator<byte[]> prover) {
    this.sockets = Objects.requireNonNull(sockets, "sockets");
    this.method = method;
    this.prover = prover;
  }

  /**
   * A factory that logs {@code identity} in with client id {@code clientId} by its {@code key} (the
   * text {@code troupe coap-key} or {@code troupe identity reset} shows), and, when {@code machine}
   * is present, by that machine key pair too.
   *
   * @param sockets makes the underlying sockets (TCP_NODELAY, TLS...)
   */
  public static KeyAuthSocketFactory of(
      final SocketFactory sockets,
      final String identity,
      final String clientId,
      final String key,
      final Optional<KeyPair> machine) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(key, "key");
    final String method = machine.isPresent() ? KeyAuth.MACHINE : KeyAuth.KEY;
    final KeyAuthSocketFactory[] self = new KeyAuthSocketFactory[1];
    self[0] =
        new KeyAuthSocketFactory(
            sockets,
            method,
            serverNonce -> {
              final byte[] challenge =
                  KeyAuth.challenge(method, identity, clientId, serverNonce, self[0].clientNonce);
              final AuthProof.Builder proof =
                  AuthProof.newBuilder().setMac(ByteString.copyFrom(KeyAuth.mac(key, challenge)));
              machine.ifPresent(
                  pair ->
                      proof
                          .setMachinePublicKey(ByteString.copyFrom(pair.getPublic().getEncoded()))
                          .setMachineSignature(
                              ByteString.copyFrom(KeyAuth.sign(pair.getPrivate(), challenge))));
              return proof.build().toByteArray();
            });
    return self[0];
  }

  /**
   * Sets this factory, the authentication method and the client nonce on {@code options}; the user
   * name must be the identity, and no password is needed.
   */
  public void applyTo(final MqttConnectionOptions options) {
    options.setSocketFactory(this);
    options.setAuthMethod(method);
    options.setAuthData(clientNonce.clone());
  }

  @Override
  public Socket createSocket() throws IOException {
    return new KeyAuthSocket(sockets.createSocket(), method, prover);
  }

  @Override
  public Socket createSocket(final String host, final int port) throws IOException {
    throw unconnectedOnly();
  }

  @Override
  public Socket createSocket(
      final String host, final int port, final InetAddress localHost, final int localPort)
      throws IOException {
    throw unconnectedOnly();
  }

  @Override
  public Socket createSocket(final InetAddress host, final int port) throws IOException {
    throw unconnectedOnly();
  }

  @Override
  public Socket createSocket(
      final InetAddress address,
      final int port,
      final InetAddress localAddress,
      final int localPort)
      throws IOException {
    throw unconnectedOnly();
  }

  private static IOException unconnectedOnly() {
    return new IOException("this factory makes unconnected sockets only, as Paho asks for");
  }
}
