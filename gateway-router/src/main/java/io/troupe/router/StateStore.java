package io.troupe.router;

import io.troupe.proto.v1.GatewayState;
import io.troupe.proto.v1.UsageRecord;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where the gateway keeps what it must not lose. One interface so that the embedded database and,
 * later, a database shared by several gateway nodes can stand behind it.
 *
 * <p>The router loads the whole state once, at start, and from then on writes only what each change
 * touched ({@link StateChange}), outside its routing lock. Writes come one at a time, in the order
 * the router applied them.
 */
public interface StateStore extends AutoCloseable {

  /**
   * The saved state: identities, communities with their services nested, client-id bindings. Empty
   * when nothing was ever saved.
   *
   * @throws StateStoreException when the store exists but cannot be read or is corrupt
   */
  Optional<GatewayState> load();

  /**
   * Writes {@code change} atomically and durably: when this returns, a crash of the process at any
   * later moment keeps all of it; when it throws, none of it was written.
   *
   * @throws StateStoreException when it could not be written; the stored state is then unchanged
   */
  void write(StateChange change);

  /**
   * The access policies' usage counters (R12) as last saved by {@link #saveUsage}; empty when none
   * were. A store that keeps none (the default) starts every counter at zero after a restart.
   *
   * @throws StateStoreException when the store exists but cannot be read or is corrupt
   */
  default List<UsageRecord> loadUsage() {
    return List.of();
  }

  /**
   * Saves usage counters, each replacing the saved record of its identity, scope and target; a
   * record with no buckets removes it. The gateway calls this about once a second with what changed
   * since the last call, never once per request, and never under the routing lock.
   *
   * @throws StateStoreException when they could not be written; the saved counters are then as
   *     before
   */
  default void saveUsage(final Collection<UsageRecord> records) {}

  /** Releases the store's resources; further calls fail. */
  @Override
  default void close() {}

  /** Thrown when the store cannot be read or written. */
  final class StateStoreException extends RuntimeException {
    public StateStoreException(final String message, final Throwable cause) {
      super(message, cause);
    }
  }
}
