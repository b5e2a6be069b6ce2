package io.troupe.router;

import io.troupe.proto.v1.GatewayState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A store that keeps the state in memory, records each change, and can be told to fail. */
public final class MemoryStateStore implements StateStore {
  private GatewayState saved;
  public boolean failing;
  public int saves;
  final List<StateChange> changes = new ArrayList<>();

  @Override
  public Optional<GatewayState> load() {
    return Optional.ofNullable(saved);
  }

  @Override
  public void write(final StateChange change) {
    if (failing) {
      throw new StateStoreException("disk full", null);
    }
    saves++;
    changes.add(change);
    saved = change.applyTo(saved == null ? GatewayState.getDefaultInstance() : saved);
  }
}
