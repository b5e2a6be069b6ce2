package io.troupe.coap;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the CoAP bridge listens.
 *
 * @param enabled whether the bridge runs at all
 * @param dtls the DTLS 1.2 (PSK) endpoint's address, or empty for none
 * @param plain the unencrypted endpoint, off unless configured
 */
public record CoapBridgeConfig(
    boolean enabled, Optional<InetSocketAddress> dtls, Optional<Plain> plain) {

  /** The IANA port of CoAP over DTLS. */
  public static final int COAPS_PORT = 5684;

  public CoapBridgeConfig {
    Objects.requireNonNull(dtls, "dtls");
    Objects.requireNonNull(plain, "plain");
  }

  /** DTLS on every interface's port 5684, no plain CoAP. */
  public static CoapBridgeConfig defaults() {
    return new CoapBridgeConfig(
        true, Optional.of(new InetSocketAddress(COAPS_PORT)), Optional.empty());
  }

  /**
   * Unencrypted CoAP: every request on it acts as one identity, so bind it only where every peer is
   * trusted (a loopback or a closed local network).
   *
   * @param address where it listens
   * @param actAs the identity its requests act as
   */
  public record Plain(InetSocketAddress address, String actAs) {
    public Plain {
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(actAs, "actAs");
      if (actAs.isBlank()) {
        throw new IllegalArgumentException("a plain CoAP endpoint needs an identity to act as");
      }
    }
  }
}
