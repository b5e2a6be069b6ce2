package io.troupe.router.internal.requests;

import io.troupe.router.internal.devices.ServerState;
import io.troupe.router.internal.devices.ServerStates;
import io.troupe.router.internal.routing.PendingRequest;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@link RequestsInFlight} in maps of this JVM. Not thread-safe, as the contract allows: {@link
 * RequestRouter} calls it under the router's lock.
 */
public final class InFlight implements RequestsInFlight {

  private final ServerStates servers;
  private final Map<String, PendingRequest> pending = new HashMap<>();

  /** The requests each server was sent and has not concluded: what a disconnect walks. */
  private final Map<String, Set<PendingRequest>> outstandingOn = new HashMap<>();

  /** Per identity, the requests waiting and their bytes: what its bounds are checked against. */
  private final Map<String, long[]> heldBy = new HashMap<>();

  /** The bytes of every request waiting. */
  private long bytes;

  /** Requests in flight to {@code servers}. */
  public InFlight(final ServerStates servers) {
    this.servers = servers;
  }

  @Override
  public PendingRequest get(final String id) {
    return pending.get(id);
  }

  @Override
  public void add(final PendingRequest p) {
    if (pending.putIfAbsent(p.id, p) != null) {
      throw new IllegalStateException("request " + p.id + " already waits");
    }
    final long size = p.request.size();
    final long[] held = heldBy.computeIfAbsent(identity(p), k -> new long[2]);
    held[0]++;
    held[1] += size;
    bytes += size;
  }

  @Override
  public boolean waits(final PendingRequest p) {
    return pending.get(p.id) == p;
  }

  @Override
  public int size() {
    return pending.size();
  }

  @Override
  public long bytes() {
    return bytes;
  }

  @Override
  public long sizeOf(final String identity) {
    final long[] held = heldBy.get(identity);
    return held == null ? 0 : held[0];
  }

  @Override
  public long bytesOf(final String identity) {
    final long[] held = heldBy.get(identity);
    return held == null ? 0 : held[1];
  }

  @Override
  public void sent(final PendingRequest p, final String device) {
    p.outstanding.add(device);
    outstandingOn.computeIfAbsent(device, d -> new LinkedHashSet<>()).add(p);
  }

  @Override
  public Set<PendingRequest> takeAll(final String device) {
    final Set<PendingRequest> on = outstandingOn.remove(device);
    return on == null ? Set.of() : on;
  }

  @Override
  public boolean release(final PendingRequest p, final String device) {
    if (!p.outstanding.remove(device)) {
      return false;
    }
    unindex(p, device);
    return true;
  }

  @Override
  public void conclude(final PendingRequest p) {
    if (pending.remove(p.id, p)) {
      unhold(p);
    }
    for (final String device : p.outstanding) {
      unindex(p, device);
      final ServerState s = servers.get(device);
      if (s != null) {
        s.finished();
      }
    }
    p.outstanding.clear();
  }

  private void unhold(final PendingRequest p) {
    final long size = p.request.size();
    final long[] held = heldBy.get(identity(p));
    held[0]--;
    held[1] -= size;
    bytes -= size;
    if (held[0] == 0) {
      heldBy.remove(identity(p));
    }
  }

  private static String identity(final PendingRequest p) {
    return p.request.principal().identity();
  }

  private void unindex(final PendingRequest p, final String device) {
    final Set<PendingRequest> on = outstandingOn.get(device);
    if (on != null && on.remove(p) && on.isEmpty()) {
      outstandingOn.remove(device);
    }
  }
}
