package io.troupe.router.internal.requests;

import io.troupe.router.ConsumerRequest;
import io.troupe.router.internal.devices.ServerState;
import io.troupe.router.internal.routing.PendingRequest;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The requests that wait for an answer, and which servers owe each one an answer: what a reply
 * looks up, what a disconnect walks and what an answer releases. Not thread-safe: {@link
 * RequestRouter} calls it under the router's lock.
 */
final class InFlight {

  private final Map<String, ServerState> servers;
  private final Map<String, PendingRequest> pending = new HashMap<>();

  /** The requests each server was sent and has not concluded: what a disconnect walks. */
  private final Map<String, Set<PendingRequest>> outstandingOn = new HashMap<>();

  /** Per identity, the requests waiting and their bytes: what its bounds are checked against. */
  private final Map<String, long[]> heldBy = new HashMap<>();

  /** The bytes of every request waiting. */
  private long bytes;

  /** Requests in flight to {@code servers}. */
  InFlight(final Map<String, ServerState> servers) {
    this.servers = servers;
  }

  /** The request {@code id} if it still waits for an answer, or {@code null}. */
  PendingRequest get(final String id) {
    return pending.get(id);
  }

  /** {@code p} waits for an answer from now on, and counts against its identity's bounds. */
  void add(final PendingRequest p) {
    if (pending.putIfAbsent(p.id, p) != null) {
      throw new IllegalStateException("request " + p.id + " already waits");
    }
    final long size = p.request.size();
    final long[] held = heldBy.computeIfAbsent(identity(p), k -> new long[2]);
    held[0]++;
    held[1] += size;
    bytes += size;
  }

  /** Whether {@code p} still waits for an answer. */
  boolean waits(final PendingRequest p) {
    return pending.get(p.id) == p;
  }

  /** How many requests wait for an answer. */
  int size() {
    return pending.size();
  }

  /** The bytes of every request waiting, as {@link ConsumerRequest#size()} counts them. */
  long bytes() {
    return bytes;
  }

  /** How many requests of {@code identity} wait for an answer. */
  long sizeOf(final String identity) {
    final long[] held = heldBy.get(identity);
    return held == null ? 0 : held[0];
  }

  /** The bytes of the requests of {@code identity} waiting for an answer. */
  long bytesOf(final String identity) {
    final long[] held = heldBy.get(identity);
    return held == null ? 0 : held[1];
  }

  /** {@code p} was sent to {@code device}, which owes it an answer now. */
  void sent(final PendingRequest p, final String device) {
    p.outstanding.add(device);
    outstandingOn.computeIfAbsent(device, d -> new LinkedHashSet<>()).add(p);
  }

  /** The requests {@code device} was sent and has not concluded, forgotten here: it is gone. */
  Set<PendingRequest> takeAll(final String device) {
    final Set<PendingRequest> on = outstandingOn.remove(device);
    return on == null ? Set.of() : on;
  }

  /** {@code device} no longer owes {@code p} an answer; whether it did. */
  boolean release(final PendingRequest p, final String device) {
    if (!p.outstanding.remove(device)) {
      return false;
    }
    unindex(p, device);
    return true;
  }

  /** {@code p} is answered: it waits no more, and no server owes it anything. */
  void conclude(final PendingRequest p) {
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
