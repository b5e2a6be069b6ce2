package io.troupe.router;

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

  /** Requests in flight to {@code servers}. */
  InFlight(final Map<String, ServerState> servers) {
    this.servers = servers;
  }

  /** The request {@code id} if it still waits for an answer, or {@code null}. */
  PendingRequest get(final String id) {
    return pending.get(id);
  }

  /** {@code p} waits for an answer from now on. */
  void add(final PendingRequest p) {
    pending.put(p.id, p);
  }

  /** Whether {@code p} still waits for an answer. */
  boolean waits(final PendingRequest p) {
    return pending.get(p.id) == p;
  }

  /** How many requests wait for an answer. */
  int size() {
    return pending.size();
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
    pending.remove(p.id);
    for (final String device : p.outstanding) {
      unindex(p, device);
      final ServerState s = servers.get(device);
      if (s != null) {
        s.finished();
      }
    }
    p.outstanding.clear();
  }

  private void unindex(final PendingRequest p, final String device) {
    final Set<PendingRequest> on = outstandingOn.get(device);
    if (on != null && on.remove(p) && on.isEmpty()) {
      outstandingOn.remove(device);
    }
  }
}
