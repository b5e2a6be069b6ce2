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

  /** The usage counters as saved, by identity, scope and target. */
  public final java.util.Map<String, io.troupe.proto.v1.UsageRecord> usage =
      new java.util.LinkedHashMap<>();

  @Override
  public List<io.troupe.proto.v1.UsageRecord> loadUsage() {
    return List.copyOf(usage.values());
  }

  @Override
  public void saveUsage(final java.util.Collection<io.troupe.proto.v1.UsageRecord> records) {
    if (failing) {
      throw new StateStoreException("disk full", null);
    }
    for (final io.troupe.proto.v1.UsageRecord r : records) {
      final String key = r.getIdentity() + "\n" + r.getScopeValue() + "\n" + r.getTarget();
      if (r.getReceivedCount() == 0 && r.getSentCount() == 0) {
        usage.remove(key);
      } else {
        usage.put(key, r);
      }
    }
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
