package io.troupe.router.internal.requests;

/**
 * How many requests wait for an answer and how many bytes they hold, in all and per consumer
 * identity: the counters {@link InFlightQuota} checks its bounds against. The router owns this
 * contract so that the counters may later be kept by a store shared by several gateway nodes
 * without changing the quota's decisions.
 *
 * <p>Thread-safety: called with the router's routing lock held (see {@code RouterLocks}); an
 * implementation need not be thread-safe itself, but one shared between nodes answers with the
 * counts of every node.
 */
public interface InFlightCounts {

  /** How many requests wait for an answer. */
  int size();

  /** The bytes of every request waiting, as {@code ConsumerRequest#size()} counts them. */
  long bytes();

  /** How many requests of {@code identity} wait for an answer. */
  long sizeOf(String identity);

  /** The bytes of the requests of {@code identity} waiting for an answer. */
  long bytesOf(String identity);
}
