package io.troupe.coap;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A CoAP endpoint could not bind its UDP address, most often because another program (a second
 * gateway on the same machine, for one) holds the port.
 */
public final class CoapBindException extends IOException {

  private static final long serialVersionUID = 1L;

  private final InetSocketAddress address;
  private final boolean dtls;

  public CoapBindException(
      final InetSocketAddress address, final boolean dtls, final IOException cause) {
    super(
        "UDP port "
            + address.getPort()
            + " on "
            + address.getAddress().getHostAddress()
            + " for "
            + (dtls ? "CoAP over DTLS" : "plain CoAP")
            + " could not be bound ("
            + cause.getMessage()
            + ")",
        cause);
    this.address = Objects.requireNonNull(address, "address");
    this.dtls = dtls;
  }

  /** The address the endpoint was configured to bind. */
  public InetSocketAddress address() {
    return address;
  }

  /** Whether it is the DTLS endpoint; else the plain one. */
  public boolean dtls() {
    return dtls;
  }
}
