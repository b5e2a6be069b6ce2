package io.troupe.router.internal.requests;

import io.troupe.router.internal.routing.PendingRequest;
import java.util.Set;

/**
 * The requests that wait for an answer, and which servers owe each one an answer: what a reply
 * looks up, what a disconnect walks and what an answer releases; with the {@link InFlightCounts}
 * they add up to. The router owns this contract so that the requests may later be kept by a store
 * shared by several gateway nodes without changing the routing decisions; {@link InFlight} keeps
 * them in this JVM.
 *
 * <p>Thread-safety: every call is made with the router's routing lock held (see {@code
 * RouterLocks}), by {@link RequestRouter} and the classes it delegates to; an implementation need
 * not be thread-safe itself.
 */
public interface RequestsInFlight extends InFlightCounts {

  /** The request {@code id} if it still waits for an answer, or {@code null}. */
  PendingRequest get(String id);

  /**
   * {@code p} waits for an answer from now on, and counts against its identity's bounds.
   *
   * @throws IllegalStateException if a request with its id already waits
   */
  void add(PendingRequest p);

  /** Whether {@code p} still waits for an answer. */
  boolean waits(PendingRequest p);

  /** {@code p} was sent to {@code device}, which owes it an answer now. */
  void sent(PendingRequest p, String device);

  /** The requests {@code device} was sent and has not concluded, forgotten here: it is gone. */
  Set<PendingRequest> takeAll(String device);

  /** {@code device} no longer owes {@code p} an answer; whether it did. */
  boolean release(PendingRequest p, String device);

  /** {@code p} is answered: it waits no more, and no server owes it anything. */
  void conclude(PendingRequest p);
}
