package io.troupe.router.internal.routing;

import io.troupe.router.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which server has served a consumer's session (R8): the {@code session} user property, per
 * consumer identity and address; a request without one belongs to the session of its consumer's
 * client (the consumer itself). Bounded: the least recently used sessions are forgotten first.
 */
public final class Sessions {

  private final Map<String, String> bound;

  public Sessions(final int capacity) {
    this.bound =
        new LinkedHashMap<>(1024, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(final Map.Entry<String, String> eldest) {
            return size() > capacity;
          }
        };
  }

  Optional<String> boundServer(final PendingRequest p) {
    final String key = key(p);
    return key == null ? Optional.empty() : Optional.ofNullable(bound.get(key));
  }

  public void bind(final PendingRequest p, final String device) {
    final String key = key(p);
    if (key != null) {
      bound.put(key, device);
    }
  }

  /**
   * The session a request belongs to, or null for none: a request to a named server ({@code
   * dev2.echo.demo}) chose its server itself, and neither follows nor binds the session.
   */
  private static String key(final PendingRequest p) {
    if (p.onlyDevice != null) {
      return null;
    }
    final String session = p.request.property("session");
    final Principal who = p.request.principal();
    if (session.isEmpty()) {
      // One identity may run many clients (each its own consumer), so the client id tells them
      // apart; it cannot clash with a named session, which carries the marker '\u0001'.
      return who.identity() + '\u0000' + p.service.address() + '\u0001' + who.clientId();
    }
    return who.identity() + '\u0000' + p.service.address() + '\u0000' + session;
  }
}
