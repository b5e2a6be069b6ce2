package io.troupe.coap;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Objects;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.DtlsDatagramFilter;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.AlertMessage;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertDescription;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertLevel;
import org.eclipse.californium.scandium.dtls.Connection;
import org.eclipse.californium.scandium.dtls.ContentType;
import org.eclipse.californium.scandium.dtls.DTLSContext;
import org.eclipse.californium.scandium.dtls.HandshakeException;
import org.eclipse.californium.scandium.dtls.Handshaker;
import org.eclipse.californium.scandium.dtls.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scandium's DTLS connector, which ends a handshake with the wrong pre-shared key at once, with a
 * fatal {@code decrypt_error} alert (RFC 4279 §2), instead of dropping the client's Finished in
 * silence: Scandium discards a record it cannot decrypt, so a client with a wrong key retransmits
 * until it gives up (libcoap: 20 s, then "cannot send CoAP pdu") and never learns why.
 *
 * <p>An unknown identity gets a random key from {@link DerivedPskStore} and so fails here in the
 * same way, with the same alert after the same round trips: the answer reveals nothing about which
 * identities exist.
 *
 * <p>The alert goes in the clear (epoch 0): the server has not yet changed its cipher when it
 * receives the client's Finished, and a client with another key could not read an encrypted one.
 */
final class AlertingDtlsConnector extends DTLSConnector {

  private static final Logger log = LoggerFactory.getLogger(AlertingDtlsConnector.class);

  private static final AlertMessage WRONG_KEY =
      new AlertMessage(AlertLevel.FATAL, AlertDescription.DECRYPT_ERROR);

  /** Told of each handshake refused: quick, and never throws. */
  private final Runnable refused;

  private AlertingDtlsConnector(final DtlsConnectorConfig config, final Runnable refused) {
    super(config);
    this.refused = refused;
  }

  /**
   * A connector for {@code config}, whose record filter is set here.
   *
   * @param refused told of each handshake refused with the alert (a metric)
   */
  static AlertingDtlsConnector create(
      final DtlsConnectorConfig.Builder config, final Configuration coap, final Runnable refused) {
    final WrongKeyFilter filter = new WrongKeyFilter(coap);
    final AlertingDtlsConnector connector =
        new AlertingDtlsConnector(
            config.setDatagramFilter(filter).build(), Objects.requireNonNull(refused, "refused"));
    filter.connector = connector;
    return connector;
  }

  /** Sends the alert to {@code connection}'s peer and ends its handshake. */
  private void refuse(final Connection connection, final Handshaker handshake) {
    final DTLSContext context = handshake.getDtlsContext();
    try {
      final Record alert =
          new Record(ContentType.ALERT, context.getWriteEpoch(), WRONG_KEY, context, false, 0);
      alert.setAddress(connection.getPeerAddress(), connection.getRouter());
      sendRecord(alert);
    } catch (final IOException | GeneralSecurityException e) {
      log.debug("could not send a DTLS alert [peer: {}]", connection.getPeerAddress(), e);
    }
    log.debug(
        "refused a DTLS handshake [peer: {}, reason: wrong key or unknown identity]",
        connection.getPeerAddress());
    refused.run();
    handshake.handshakeFailed(
        new HandshakeException("wrong pre-shared key or unknown identity", WRONG_KEY));
  }

  /**
   * Scandium's default record filter, which also sees the records that failed their MAC: a
   * handshake record that does so while the first handshake of a connection is under way is the
   * client's Finished under a key other than the server's.
   */
  private static final class WrongKeyFilter extends DtlsDatagramFilter {

    private volatile AlertingDtlsConnector connector;

    WrongKeyFilter(final Configuration coap) {
      super(Objects.requireNonNull(coap, "coap"));
    }

    @Override
    public boolean onMacError(final Record record, final Connection connection) {
      final boolean close = super.onMacError(record, connection);
      final Handshaker handshake = connection.getOngoingHandshake();
      final AlertingDtlsConnector running = connector;
      if (running != null
          && handshake != null
          && record.getType() == ContentType.HANDSHAKE
          && !connection.hasEstablishedDtlsContext()) {
        running.refuse(connection, handshake);
      }
      return close;
    }
  }
}
