package io.troupe.it;

import io.troupe.launcher.LoopbackPorts;

/**
 * One gateway for every test class of a test JVM that can share it: HiveMQ CE with the extension
 * from its packaged folder, as {@link GatewayFixture} starts it, with CoAP over DTLS and plain CoAP
 * (acting as {@link #PLAIN_AS}) on free loopback ports, and MQTT over TLS with a self-signed
 * certificate ({@code gw.gateway.tlsPort()}, {@code gw.gateway.tls()}), and the groups of the JVM's
 * {@link SharedDirectory}. Starting and stopping a broker costs about 5 s; a class that only needs
 * a gateway, not a fresh one, takes this one and saves that.
 *
 * <p>The rules of sharing: a class names everything it creates (identities, communities, client
 * ids) with a prefix of its own, never counts on state it did not create (the gateway-wide metrics,
 * the list of identities, the catalogue), changes no gateway-wide setting, and never closes or
 * restarts the gateway. The gateway stops with the JVM.
 */
final class SharedGateway {

  /** The identity plain CoAP requests act as; created with the gateway. */
  static final String PLAIN_AS = "shared-plain";

  private static SharedGateway instance;

  final GatewayFixture gw;
  final int plainCoapPort;
  final int dtlsPort;

  private SharedGateway(final GatewayFixture gw, final int plainCoapPort, final int dtlsPort) {
    this.gw = gw;
    this.plainCoapPort = plainCoapPort;
    this.dtlsPort = dtlsPort;
  }

  /** The JVM's shared gateway, started on first use. */
  static synchronized SharedGateway get() throws Exception {
    if (instance == null) {
      final int plain = freeUdpPort();
      final int dtls = freeUdpPort();
      final String config =
          GatewayFixture.CONFIG
              .replace(
                  "<coap><dtls><bind>127.0.0.1</bind><port>0</port></dtls></coap>",
                  "<coap><dtls><port>"
                      + dtls
                      + "</port></dtls><plain><bind>127.0.0.1</bind><port>"
                      + plain
                      + "</port><act-as>"
                      + PLAIN_AS
                      + "</act-as></plain></coap>")
              // communities may follow groups of the JVM's directory (R16), read every second
              .replace("</troupe>", SharedDirectory.get().config() + "</troupe>");
      // with an MQTT-over-TLS listener too: its self-signed certificate costs a few milliseconds
      final GatewayFixture gw =
          GatewayFixture.start(
              java.nio.file.Files.createDirectories(
                  java.nio.file.Path.of("target", "it", "shared-" + System.nanoTime())),
              GatewayFixture.freePort(),
              config,
              true);
      gw.addIdentity(PLAIN_AS, io.troupe.proto.v1.IdentityRole.CONSUMER);
      instance = new SharedGateway(gw, plain, dtls);
    }
    return instance;
  }

  /** Shorthand for {@code get().gw}. */
  static GatewayFixture fixture() throws Exception {
    return get().gw;
  }

  /** A free loopback UDP port below the ephemeral range: see {@link LoopbackPorts}. */
  static int freeUdpPort() throws java.io.IOException {
    return LoopbackPorts.freeUdp();
  }
}
