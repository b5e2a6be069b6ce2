package io.troupe.coap;

import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.CoAPMessageFormatException;
import org.eclipse.californium.core.coap.Message;
import org.eclipse.californium.core.network.serialization.MessageHeader;
import org.eclipse.californium.core.network.serialization.UdpDataParser;
import org.eclipse.californium.elements.util.DatagramReader;

/**
 * Californium's UDP parser, except that a message whose payload is larger than its Block1 or Block2
 * size is a format error (a confirmable request gets 4.00) rather than an {@link
 * IllegalArgumentException} or {@link IllegalStateException} that Californium logs as an error of
 * its protocol stage: any peer could otherwise fill the log with one datagram each.
 */
final class CheckedUdpDataParser extends UdpDataParser {

  @Override
  protected Message parseMessage(
      final DatagramReader reader, final MessageHeader header, final Message target) {
    try {
      return super.parseMessage(reader, header, target);
    } catch (final IllegalArgumentException | IllegalStateException e) {
      throw new CoAPMessageFormatException(
          e.getMessage(),
          header.getToken(),
          header.getMID(),
          header.getCode(),
          header.getType() == CoAP.Type.CON,
          CoapCodes.toCoapCode(400, null));
    }
  }
}
