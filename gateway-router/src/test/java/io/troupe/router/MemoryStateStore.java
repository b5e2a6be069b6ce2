package io.troupe.router;

import io.troupe.proto.v1.GatewayState;
import java.util.Optional;

/** A store that keeps the state in memory, and can be told to fail. */
final class MemoryStateStore implements StateStore {
  private GatewayState saved;
  boolean failing;
  int saves;

  @Override
  public Optional<GatewayState> load() {
    return Optional.ofNullable(saved);
  }

  @Override
  public void save(final GatewayState state) {
    if (failing) {
      throw new StateStoreException("disk full", null);
    }
    saves++;
    saved = state;
  }
}
