package io.troupe.router.internal.devices;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** {@link ServerStates} in a map of this JVM; not thread-safe, as the contract allows. */
public final class InMemoryServerStates implements ServerStates {

  private final Map<String, ServerState> states = new HashMap<>();

  @Override
  public ServerState get(final String device) {
    return states.get(device);
  }

  @Override
  public ServerState getOrAdd(final String device, final Function<String, ServerState> made) {
    return states.computeIfAbsent(device, made);
  }

  @Override
  public Iterable<Map.Entry<String, ServerState>> entries() {
    return Collections.unmodifiableMap(states).entrySet();
  }
}
