package io.troupe.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/** TCP_NODELAY sockets for the benchmark's plain Paho clients, as the agent uses. */
final class NoDelaySockets extends SocketFactory {

  @Override
  public Socket createSocket() throws IOException {
    final Socket s = new Socket();
    s.setTcpNoDelay(true);
    return s;
  }

  @Override
  public Socket createSocket(final String host, final int port) throws IOException {
    final Socket s = createSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(
      final String host, final int port, final InetAddress local, final int localPort)
      throws IOException {
    final Socket s = createSocket();
    s.bind(new InetSocketAddress(local, localPort));
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(final InetAddress host, final int port) throws IOException {
    final Socket s = createSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(
      final InetAddress host, final int port, final InetAddress local, final int localPort)
      throws IOException {
    final Socket s = createSocket();
    s.bind(new InetSocketAddress(local, localPort));
    s.connect(new InetSocketAddress(host, port));
    return s;
  }
}
