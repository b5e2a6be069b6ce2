package io.troupe.agent.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.function.UnaryOperator;

/**
 * A socket that answers the gateway's AUTH packet beneath Paho ({@link KeyAuthSocketFactory}):
 * until the CONNACK, its input is read packet by packet ({@link AuthPackets}); an AUTH is answered
 * with the proof and kept from Paho; from the first other packet on, bytes pass through untouched.
 * Delegates everything else to the socket it wraps.
 */
final class KeyAuthSocket extends Socket {

  private final Socket inner;
  private final String method;
  private final UnaryOperator<byte[]> prover;
  private InputStream in;

  KeyAuthSocket(final Socket inner, final String method, final UnaryOperator<byte[]> prover) {
    this.inner = inner;
    this.method = method;
    this.prover = prover;
  }

  @Override
  public void connect(final SocketAddress endpoint) throws IOException {
    inner.connect(endpoint);
  }

  @Override
  public void connect(final SocketAddress endpoint, final int timeout) throws IOException {
    inner.connect(endpoint, timeout);
  }

  @Override
  public synchronized InputStream getInputStream() throws IOException {
    if (in == null) {
      in =
          new AuthPackets.Answering(
              inner.getInputStream(), inner.getOutputStream(), method, prover);
    }
    return in;
  }

  @Override
  public OutputStream getOutputStream() throws IOException {
    return inner.getOutputStream();
  }

  @Override
  public synchronized void setSoTimeout(final int timeout) throws SocketException {
    inner.setSoTimeout(timeout);
  }

  @Override
  public synchronized int getSoTimeout() throws SocketException {
    return inner.getSoTimeout();
  }

  @Override
  public void setTcpNoDelay(final boolean on) throws SocketException {
    inner.setTcpNoDelay(on);
  }

  @Override
  public boolean getTcpNoDelay() throws SocketException {
    return inner.getTcpNoDelay();
  }

  @Override
  public void shutdownInput() throws IOException {
    inner.shutdownInput();
  }

  @Override
  public void shutdownOutput() throws IOException {
    inner.shutdownOutput();
  }

  @Override
  public synchronized void close() throws IOException {
    inner.close();
  }

  @Override
  public boolean isConnected() {
    return inner.isConnected();
  }

  @Override
  public boolean isClosed() {
    return inner.isClosed();
  }

  @Override
  public InetAddress getInetAddress() {
    return inner.getInetAddress();
  }

  @Override
  public int getPort() {
    return inner.getPort();
  }

  @Override
  public int getLocalPort() {
    return inner.getLocalPort();
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    return inner.getRemoteSocketAddress();
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return inner.getLocalSocketAddress();
  }

  @Override
  public String toString() {
    return "KeyAuthSocket[" + inner + "]";
  }
}
