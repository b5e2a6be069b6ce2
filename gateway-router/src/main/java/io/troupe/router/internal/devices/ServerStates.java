package io.troupe.router.internal.devices;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The state of every device the router has seen as a server, by device: what presence, routing, the
 * probes and the API read of servers. The router owns this contract so that the states may later be
 * kept by a store shared by several gateway nodes without changing the decisions; {@link
 * InMemoryServerStates} keeps them in this JVM.
 *
 * <p>Thread-safety: callers hold the router's routing lock (see {@code RouterLocks}) for every call
 * and for as long as they use a state it returned; an implementation need not be thread-safe
 * itself.
 */
public interface ServerStates {

  /** The state of {@code device}, or null when it was never seen as a server. */
  ServerState get(String device);

  /** The state of {@code device}, made by {@code made} at its first sight. */
  ServerState getOrAdd(String device, Function<String, ServerState> made);

  /** Every device's state, in no particular order; not to be changed. */
  Iterable<Map.Entry<String, ServerState>> entries();

  /** Runs {@code action} on every device's state, in no particular order. */
  default void forEach(final BiConsumer<String, ServerState> action) {
    for (final Map.Entry<String, ServerState> e : entries()) {
      action.accept(e.getKey(), e.getValue());
    }
  }
}
