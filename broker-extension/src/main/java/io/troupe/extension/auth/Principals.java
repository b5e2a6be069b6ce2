package io.troupe.extension.auth;

import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.router.Principal;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the authenticated principal in the connection's attribute store, so that every later
 * callback of the same connection (and only of it) sees who it is.
 */
public final class Principals {

  private static final String IDENTITY = "troupe.identity";
  private static final String ROLE = "troupe.role";
  private static final String CONNECTION = "troupe.connection";
  private static final AtomicLong CONNECTIONS = new AtomicLong();

  private Principals() {}

  /** Stores {@code principal} with a new connection id and returns that id. */
  static long store(final ConnectionAttributeStore attributes, final Principal principal) {
    final long connection = CONNECTIONS.incrementAndGet();
    attributes.putAsString(IDENTITY, principal.identity());
    attributes.putAsString(ROLE, principal.role().name());
    attributes.putAsString(CONNECTION, Long.toString(connection));
    return connection;
  }

  /** The principal of an authenticated connection; empty before or without authentication. */
  public static Optional<Principal> of(
      final ConnectionAttributeStore attributes, final String clientId) {
    final Optional<String> identity = attributes.getAsString(IDENTITY);
    final Optional<String> role = attributes.getAsString(ROLE);
    if (identity.isEmpty() || role.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Principal(identity.get(), IdentityRole.valueOf(role.get()), clientId));
  }

  /** The id that tells this connection apart from earlier ones of the same client; -1 if none. */
  public static long connectionId(final ConnectionAttributeStore attributes) {
    return attributes.getAsString(CONNECTION).map(Long::parseLong).orElse(-1L);
  }
}
