package io.troupe.contract.content;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Version vectors (R3, R4): per replica, how many of that replica's changes a version includes. One
 * version dominates another when it includes all of the other's changes and more; two versions
 * neither of which includes the other's changes are concurrent, which for an item is a conflict.
 * Missing entries count as 0. Every method leaves its arguments alone.
 */
public final class VersionVector {

  /** How one version stands to another. */
  public enum Order {
    /** The same changes. */
    EQUAL,
    /** The first includes fewer changes: the second dominates it. */
    BEFORE,
    /** The first includes more changes: it dominates the second. */
    AFTER,
    /** Each includes a change the other lacks. */
    CONCURRENT
  }

  private VersionVector() {}

  /** How {@code a} stands to {@code b}. */
  public static Order compare(final Map<String, Long> a, final Map<String, Long> b) {
    boolean aAhead = false;
    boolean bAhead = false;
    final TreeSet<String> replicas = new TreeSet<>(a.keySet());
    replicas.addAll(b.keySet());
    for (final String r : replicas) {
      final long x = a.getOrDefault(r, 0L);
      final long y = b.getOrDefault(r, 0L);
      if (x > y) {
        aAhead = true;
      } else if (y > x) {
        bAhead = true;
      }
    }
    if (aAhead && bAhead) {
      return Order.CONCURRENT;
    }
    return aAhead ? Order.AFTER : bAhead ? Order.BEFORE : Order.EQUAL;
  }

  /** The entry-wise maximum: a version that includes every change of both. */
  public static Map<String, Long> merge(final Map<String, Long> a, final Map<String, Long> b) {
    final TreeMap<String, Long> merged = new TreeMap<>(a);
    b.forEach((r, n) -> merged.merge(r, n, Math::max));
    merged.values().removeIf(n -> n == 0);
    return merged;
  }

  /** {@code clock} with one more change by {@code replica}. */
  public static Map<String, Long> increment(final Map<String, Long> clock, final String replica) {
    if (replica.isEmpty()) {
      throw new IllegalArgumentException("a replica id is needed to count a change");
    }
    final TreeMap<String, Long> next = new TreeMap<>(clock);
    next.merge(replica, 1L, Long::sum);
    return next;
  }

  /** The number of changes {@code clock} includes, over all replicas. */
  public static long sum(final Map<String, Long> clock) {
    long total = 0;
    for (final long n : clock.values()) {
      total += n;
    }
    return total;
  }

  /**
   * The replica that made the change {@code a} has and {@code b} lacks: of those whose count in
   * {@code a} is above their count in {@code b}, the first by name; empty when there is none.
   */
  public static String author(final Map<String, Long> a, final Map<String, Long> b) {
    for (final Map.Entry<String, Long> e : new TreeMap<>(a).entrySet()) {
      if (e.getValue() > b.getOrDefault(e.getKey(), 0L)) {
        return e.getKey();
      }
    }
    return "";
  }
}
