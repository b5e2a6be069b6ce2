package io.troupe.coap;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the CoAP bridge listens.
 *
 * @param enabled whether the bridge runs at all
 * @param dtls the DTLS 1.2 (PSK) endpoint's address, or empty for none
 * @param plain the unencrypted endpoint, off unless configured
 * @param dtlsFollowsMqtt whether the DTLS endpoint's address was not configured and should be the
 *     MQTT listener's (see {@link #bindingDtlsTo}); until then it is every interface
 * @param observe how many observations the bridge keeps, per identity, per peer and in all
 * @param uploads the bounds on block-wise uploads being received
 */
public record CoapBridgeConfig(
    boolean enabled,
    Optional<InetSocketAddress> dtls,
    Optional<Plain> plain,
    boolean dtlsFollowsMqtt,
    ObserveLimits observe,
    UploadLimits uploads) {

  /** The IANA port of CoAP over DTLS. */
  public static final int COAPS_PORT = 5684;

  public CoapBridgeConfig {
    Objects.requireNonNull(dtls, "dtls");
    Objects.requireNonNull(plain, "plain");
    Objects.requireNonNull(observe, "observe");
    Objects.requireNonNull(uploads, "uploads");
  }

  /** With the default observation and upload limits. */
  public CoapBridgeConfig(
      final boolean enabled,
      final Optional<InetSocketAddress> dtls,
      final Optional<Plain> plain,
      final boolean dtlsFollowsMqtt) {
    this(enabled, dtls, plain, dtlsFollowsMqtt, ObserveLimits.DEFAULTS, UploadLimits.defaults());
  }

  /** This config with {@code limits} on observations. */
  public CoapBridgeConfig withObserve(final ObserveLimits limits) {
    return new CoapBridgeConfig(enabled, dtls, plain, dtlsFollowsMqtt, limits, uploads);
  }

  /** This config with {@code limits} on uploads. */
  public CoapBridgeConfig withUploads(final UploadLimits limits) {
    return new CoapBridgeConfig(enabled, dtls, plain, dtlsFollowsMqtt, observe, limits);
  }

  /** With the DTLS address as given. */
  public CoapBridgeConfig(
      final boolean enabled, final Optional<InetSocketAddress> dtls, final Optional<Plain> plain) {
    this(enabled, dtls, plain, false);
  }

  /** DTLS on port 5684 of the MQTT listener's address, no plain CoAP. */
  public static CoapBridgeConfig defaults() {
    return new CoapBridgeConfig(
        true, Optional.of(new InetSocketAddress(COAPS_PORT)), Optional.empty(), true);
  }

  /**
   * This config with the DTLS endpoint on {@code mqttBind} when its address was not configured, so
   * that a gateway whose MQTT listens on loopback only does not open DTLS on every interface;
   * unchanged otherwise.
   */
  public CoapBridgeConfig bindingDtlsTo(final InetAddress mqttBind) {
    Objects.requireNonNull(mqttBind, "mqttBind");
    if (!dtlsFollowsMqtt || dtls.isEmpty()) {
      return this;
    }
    return new CoapBridgeConfig(
        enabled,
        Optional.of(new InetSocketAddress(mqttBind, dtls.get().getPort())),
        plain,
        false,
        observe,
        uploads);
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
