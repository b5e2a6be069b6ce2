package io.troupe.coap;

import io.troupe.router.Logins;
import io.troupe.router.Principal;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.core.network.Exchange;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.jetbrains.annotations.Nullable;

/**
 * Who sent a CoAP request: the PSK identity of its DTLS session, or the configured identity of the
 * plain endpoint it arrived on; nobody otherwise. The one identity check of every resource: a
 * request from nobody, or from an identity the gateway does not know, is answered 4.01 here.
 */
final class PeerIdentities {

  private final Logins logins;

  private volatile @Nullable Endpoint plain;
  private volatile @Nullable String actAs;

  PeerIdentities(final Logins logins) {
    this.logins = Objects.requireNonNull(logins, "logins");
  }

  void plainEndpoint(final Endpoint endpoint, final String identity) {
    this.actAs = identity;
    this.plain = endpoint;
  }

  /**
   * The identity that sent {@code exchange}'s request; answers 4.01 "not authenticated" and returns
   * empty when there is none.
   */
  Optional<String> caller(final CoapExchange exchange) {
    final Optional<String> identity = identityOf(exchange.advanced());
    if (identity.isEmpty()) {
      CoapCodes.respond(exchange, 401, "not authenticated");
    }
    return identity;
  }

  /**
   * The principal of the identity that sent {@code exchange}'s request, logged in under the bridged
   * {@code clientId}; answers 4.01 and returns empty when nobody sent it ("not authenticated") or
   * the gateway knows no such identity ("unknown identity").
   */
  Optional<Principal> login(final CoapExchange exchange, final String clientId) {
    final Optional<String> identity = caller(exchange);
    if (identity.isEmpty()) {
      return Optional.empty();
    }
    final Optional<Principal> who = logins.bridged(identity.get(), clientId);
    if (who.isEmpty()) {
      CoapCodes.respond(exchange, 401, "unknown identity");
    }
    return who;
  }

  Optional<String> identityOf(final Exchange exchange) {
    final java.security.Principal peer = exchange.getRequest().getSourceContext().getPeerIdentity();
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
