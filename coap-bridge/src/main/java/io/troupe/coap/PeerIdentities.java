package io.troupe.coap;

import java.security.Principal;
import java.util.Optional;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.jetbrains.annotations.Nullable;

/**
 * Who sent a CoAP request: the PSK identity of its DTLS session, or the configured identity of the
 * plain endpoint it arrived on; nobody otherwise (the request is then refused with 4.01).
 */
final class PeerIdentities {

  private volatile @Nullable Endpoint plain;
  private volatile @Nullable String actAs;

  void plainEndpoint(final Endpoint endpoint, final String identity) {
    this.actAs = identity;
    this.plain = endpoint;
  }

  Optional<String> identityOf(final Exchange exchange) {
    final Principal peer = exchange.getRequest().getSourceContext().getPeerIdentity();
    if (peer instanceof PreSharedKeyIdentity psk) {
      return Optional.of(psk.getIdentity());
    }
    final Endpoint endpoint = plain;
    if (peer == null && endpoint != null && exchange.getEndpoint() == endpoint) {
      return Optional.ofNullable(actAs);
    }
    return Optional.empty();
  }

  /** Whether {@code exchange} arrived on the plain endpoint, unencrypted. */
  boolean isPlain(final Exchange exchange) {
    final Endpoint endpoint = plain;
    return endpoint != null && exchange.getEndpoint() == endpoint;
  }
}
