package io.troupe.router.internal.routing;

import java.util.Optional;

/**
 * Why a server may not take a request for its consumer, by the server's own access policy (R12):
 * the stage {@link PolicyFilter} skips it, and the next server serves.
 */
@FunctionalInterface
public interface ServerBar {

  /** Bars no server. */
  ServerBar NONE = (device, nowMs) -> Optional.empty();

  /** Why {@code device} may not take the request at {@code nowMs}; empty when it may. */
  Optional<String> reason(String device, long nowMs);
}
