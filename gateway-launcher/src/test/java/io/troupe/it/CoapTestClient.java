package io.troupe.it;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/** A Californium client on a loopback endpoint of its own: plain, or DTLS with one PSK. */
final class CoapTestClient implements AutoCloseable {

  static {
    CoapConfig.register();
    UdpConfig.register();
    DtlsConfig.register();
  }

  final CoapClient client;
  private final CoapEndpoint endpoint;

  private CoapTestClient(final CoapEndpoint endpoint) {
    this.endpoint = endpoint;
    this.client = new CoapClient();
    client.setEndpoint(endpoint);
    client.setTimeout(20_000L);
  }

  static CoapTestClient plain() {
    return plain(configuration());
  }

  /** Plain, retransmitting a confirmable request that is not acknowledged within {@code ack}. */
  static CoapTestClient plain(final Duration ack) {
    final Configuration c = configuration();
    c.set(CoapConfig.ACK_TIMEOUT, (int) ack.toMillis(), TimeUnit.MILLISECONDS);
    return plain(c);
  }

  private static CoapTestClient plain(final Configuration c) {
    return new CoapTestClient(
        new CoapEndpoint.Builder().setInetSocketAddress(loopback()).setConfiguration(c).build());
  }

  static CoapTestClient dtls(final String identity, final String key) {
    final Configuration c = configuration();
    final DtlsConnectorConfig dtls =
        DtlsConnectorConfig.builder(c)
            .setAddress(loopback())
            .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY)
            .set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 2)
            .setAdvancedPskStore(
                new AdvancedSinglePskStore(identity, key.getBytes(StandardCharsets.US_ASCII)))
            .build();
    return new CoapTestClient(
        new CoapEndpoint.Builder()
            .setConnector(new DTLSConnector(dtls))
            .setConfiguration(c)
            .build());
  }

  CoapClient at(final String uri) {
    client.setURI(uri);
    return client;
  }

  private static Configuration configuration() {
    final Configuration c = Configuration.createStandardWithoutFile();
    c.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, 4 * 1024 * 1024);
    c.set(CoapConfig.MAX_MESSAGE_SIZE, 1024);
    c.set(CoapConfig.PREFERRED_BLOCK_SIZE, 1024);
    return c;
  }

  private static InetSocketAddress loopback() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  }

  @Override
  public void close() {
    client.shutdown();
    endpoint.destroy();
  }
}
