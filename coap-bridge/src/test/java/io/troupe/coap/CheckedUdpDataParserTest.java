package io.troupe.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.CoAPMessageFormatException;
import org.eclipse.californium.core.coap.Request;
import org.junit.jupiter.api.Test;

class CheckedUdpDataParserTest {

  /** CON POST, message id 7, token 0xAB, Block1 num 0 more of 16 bytes, then 40 bytes of body. */
  private static final byte[] OVERSIZED_BLOCK = datagram(40);

  @Test
  void payloadBeyondItsBlockSize_isAFormatErrorAnswered400_notAnIllegalArgument() {
    assertThatThrownBy(() -> new CheckedUdpDataParser().parseMessage(OVERSIZED_BLOCK))
        .isInstanceOfSatisfying(
            CoAPMessageFormatException.class,
            e -> {
              assertThat(e.getErrorCode()).isEqualTo(ResponseCode.BAD_REQUEST);
              assertThat(e.isConfirmable()).isTrue();
              assertThat(e.getMid()).isEqualTo(7);
            });
  }

  @Test
  void payloadWithinItsBlockSize_parsesAsBefore() {
    assertThat(new CheckedUdpDataParser().parseMessage(datagram(16))).isInstanceOf(Request.class);
  }

  private static byte[] datagram(final int payload) {
    final byte[] head = {0x41, 0x02, 0x00, 0x07, (byte) 0xAB, (byte) 0xD1, 0x0E, 0x08, (byte) 0xFF};
    final byte[] m = new byte[head.length + payload];
    System.arraycopy(head, 0, m, 0, head.length);
    return m;
  }
}
