package io.troupe.router;

import io.troupe.proto.v1.GatewayState;
import java.util.Optional;

/**
 * Where the gateway keeps what it must not lose. One interface so that an embedded file store and,
 * later, a shared database can stand behind it.
 */
public interface StateStore {

  /**
   * The last saved state, or empty when nothing was ever saved.
   *
   * @throws StateStoreException when the store exists but cannot be read or is corrupt
   */
  Optional<GatewayState> load();

  /**
   * Saves {@code state} durably, replacing what was saved before, atomically.
   *
   * @throws StateStoreException when it could not be saved; the previous state is then intact
   */
  void save(GatewayState state);

  /** Thrown when the store cannot be read or written. */
  final class StateStoreException extends RuntimeException {
    public StateStoreException(final String message, final Throwable cause) {
      super(message, cause);
    }
  }
}
