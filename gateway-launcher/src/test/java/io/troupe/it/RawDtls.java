package io.troupe.it;

import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * Hand-made CoAP datagrams over a DTLS session with one PSK identity: what {@link RawCoap} does on
 * plain UDP, for messages a CoAP library would not send as they are.
 */
final class RawDtls implements AutoCloseable {

  /** Datagrams the gateway sent back. */
  final AtomicInteger received = new AtomicInteger();

  private final DTLSConnector connector;
  private final AddressEndpointContext gateway;
  private final boolean keepAnswers;
  private final Map<ByteBuffer, byte[]> answers = new ConcurrentHashMap<>();

  private RawDtls(final DTLSConnector connector, final int port, final boolean keepAnswers) {
    this.connector = connector;
    this.gateway =
        new AddressEndpointContext(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    this.keepAnswers = keepAnswers;
  }

  /**
   * A session with the gateway's DTLS endpoint on {@code port}, its handshake done (by a request to
   * {@code helloPath} it answers); {@code keepAnswers} keeps each answer for {@link #answerTo}.
   */
  static RawDtls connect(
      final int port,
      final String identity,
      final String key,
      final String helloPath,
      final boolean keepAnswers)
      throws Exception {
    final DtlsConnectorConfig config =
        DtlsConnectorConfig.builder(Configuration.createStandardWithoutFile())
            .setAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY)
            .setAdvancedPskStore(
                new AdvancedSinglePskStore(identity, key.getBytes(StandardCharsets.US_ASCII)))
            .build();
    final RawDtls dtls = new RawDtls(new DTLSConnector(config), port, keepAnswers);
    dtls.connector.setRawDataReceiver(dtls::received);
    dtls.connector.start();
    final byte[] hello =
        RawCoap.message(RawCoap.CON, 1, 1, new byte[] {1}, RawCoap.path(helloPath), new byte[0]);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              dtls.send(hello);
              return dtls.received.get() > 0;
            });
    return dtls;
  }

  void send(final byte[] message) {
    connector.send(RawData.outbound(message, gateway, null, false));
  }

  /** The answer carrying {@code token}, waiting up to {@code ms}. */
  Optional<byte[]> answerTo(final byte[] token, final long ms) {
    final ByteBuffer key = ByteBuffer.wrap(token);
    try {
      await()
          .atMost(Duration.ofMillis(ms))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> answers.containsKey(key));
      return Optional.of(answers.get(key));
    } catch (final org.awaitility.core.ConditionTimeoutException e) {
      return Optional.empty();
    }
  }

  private void received(final RawData data) {
    received.incrementAndGet();
    final byte[] m = data.getBytes();
    if (m.length >= 4 && (m[0] & 0x30) == RawCoap.CON << 4) {
      send(RawCoap.ack(m)); // as a client would, else the gateway keeps it to retransmit
    }
    final int tokenLength = m.length > 0 ? m[0] & 0x0F : 0;
    if (keepAnswers && m.length >= 4 + tokenLength) {
      answers.put(ByteBuffer.wrap(Arrays.copyOfRange(m, 4, 4 + tokenLength)), m);
    }
  }

  @Override
  public void close() {
    connector.destroy();
  }
}
