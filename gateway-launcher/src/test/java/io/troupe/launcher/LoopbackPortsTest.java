package io.troupe.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

  @Test
  void tcpPort_isBelowTheEphemeralRange_andCanBeBound() throws Exception {
    final int port = LoopbackPorts.freeTcp();

    assertThat(port).isBetween(1024, LoopbackPorts.ephemeralLow() - 1);
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      assertThat(socket.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void udpPort_isBelowTheEphemeralRange_andCanBeBound() throws Exception {
    final int port = LoopbackPorts.freeUdp();

    assertThat(port).isBetween(1024, LoopbackPorts.ephemeralLow() - 1);
    try (DatagramSocket socket =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
      assertThat(socket.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void aPortHeldByAnother_isNeverGiven() throws Exception {
    final int held = LoopbackPorts.freeTcp();
    try (ServerSocket holder = new ServerSocket()) {
      holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), held), 1);
      for (int i = 0; i < 2_000; i++) {
        assertThat(LoopbackPorts.freeTcp()).isNotEqualTo(held);
      }
    }
  }
}
