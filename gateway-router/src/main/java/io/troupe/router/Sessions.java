package io.troupe.router;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which server has served a consumer's session (R8): the {@code session} user property, per
 * consumer identity and address. Bounded: the least recently used sessions are forgotten first.
 */
final class Sessions {

  private final Map<String, String> bound;

  Sessions(final int capacity) {
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

  void bind(final PendingRequest p, final String device) {
    final String key = key(p);
    if (key != null) {
      bound.put(key, device);
    }
  }

  private static String key(final PendingRequest p) {
    final String session = p.request.property("session");
    if (session.isEmpty()) {
      return null;
    }
    return p.request.principal().identity() + '\u0000' + p.service.address + '\u0000' + session;
  }
}
