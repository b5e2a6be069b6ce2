package io.troupe.router.internal.policy;

import io.troupe.proto.v1.UsageRecord;

/**
 * Bytes received from and sent to one consumer over a rolling window, in buckets. The window is
 * {@code n} buckets of {@code bucketMs}, aligned on the epoch so that a saved window means the same
 * after a restart: at time {@code t} it counts the bucket holding {@code t} and the {@code n - 1}
 * before it. A byte counted at {@code t} therefore leaves the window exactly when the bucket {@code
 * n} places after its own begins: the window's edges are exact to a bucket, and it spans between
 * {@code (n - 1) * bucketMs} and {@code n * bucketMs}. Memory is fixed: {@code n} is at most
 * {@value #MAX_BUCKETS}. Not thread-safe.
 */
final class RollingWindow {

  /** Buckets per window, at most: a 24-hour window counts in buckets of 24 minutes. */
  static final int MAX_BUCKETS = 60;

  private final long windowMs;
  private final long bucketMs;
  private final int n;

  /** The absolute bucket number each slot holds; a slot holding an older one counts nothing. */
  private final long[] bucketOf;

  private final long[] received;
  private final long[] sent;

  /** A window of {@code windowSeconds} (at least 1), empty. */
  RollingWindow(final long windowSeconds) {
    if (windowSeconds < 1) {
      throw new IllegalArgumentException("a window lasts at least 1 s, got " + windowSeconds);
    }
    this.windowMs = windowSeconds * 1000;
    this.n = (int) Math.min(windowSeconds, MAX_BUCKETS);
    this.bucketMs = (windowMs + n - 1) / n;
    this.bucketOf = new long[n];
    java.util.Arrays.fill(bucketOf, Long.MIN_VALUE);
    this.received = new long[n];
    this.sent = new long[n];
  }

  long windowMs() {
    return windowMs;
  }

  /** Counts {@code in} bytes received from the consumer and {@code out} sent to it at {@code t}. */
  void add(final long nowMs, final long in, final long out) {
    final long b = Math.floorDiv(nowMs, bucketMs);
    final int slot = (int) Math.floorMod(b, n);
    if (bucketOf[slot] != b) {
      bucketOf[slot] = b;
      received[slot] = 0;
      sent[slot] = 0;
    }
    received[slot] += in;
    sent[slot] += out;
  }

  /** Bytes received from the consumer in the window at {@code nowMs}. */
  long received(final long nowMs) {
    return sum(received, nowMs);
  }

  /** Bytes sent to the consumer in the window at {@code nowMs}. */
  long sent(final long nowMs) {
    return sum(sent, nowMs);
  }

  /** Bytes either way in the window at {@code nowMs}. */
  long total(final long nowMs) {
    return received(nowMs) + sent(nowMs);
  }

  /** Whether the window counts nothing at {@code nowMs}: it may be forgotten. */
  boolean isIdle(final long nowMs) {
    return total(nowMs) == 0;
  }

  /**
   * The first time from {@code nowMs} on at which the window counts at most {@code allowed} bytes
   * either way, as its oldest buckets roll off; {@code nowMs} when it already does.
   */
  long freesAt(final long nowMs, final long allowed) {
    return firstTime(nowMs, at -> received(at) + sent(at) <= allowed);
  }

  /**
   * The first time from {@code nowMs} on at which the bytes received are at most {@code ratio}
   * times the bytes sent, or none are counted, as the oldest buckets roll off.
   */
  long ratioFreesAt(final long nowMs, final double ratio) {
    return firstTime(nowMs, at -> received(at) <= ratio * sent(at));
  }

  /** The first bucket edge from {@code nowMs} on where {@code ok} holds (it does once empty). */
  private long firstTime(final long nowMs, final java.util.function.LongPredicate ok) {
    if (ok.test(nowMs)) {
      return nowMs;
    }
    final long current = Math.floorDiv(nowMs, bucketMs);
    for (long b = current + 1; b <= current + n; b++) {
      if (ok.test(b * bucketMs)) {
        return b * bucketMs;
      }
    }
    return (current + n) * bucketMs;
  }

  private long sum(final long[] counts, final long nowMs) {
    final long current = Math.floorDiv(nowMs, bucketMs);
    long total = 0;
    for (int i = 0; i < n; i++) {
      if (bucketOf[i] <= current && bucketOf[i] > current - n) {
        total += counts[i];
      }
    }
    return total;
  }

  /** The window as saved: its buckets still in the window at {@code nowMs}, oldest first. */
  UsageRecord.Builder toRecord(final long nowMs) {
    final long current = Math.floorDiv(nowMs, bucketMs);
    final long first = current - n + 1;
    final UsageRecord.Builder r =
        UsageRecord.newBuilder().setFirstBucketMs(first * bucketMs).setBucketMs((int) bucketMs);
    for (long b = first; b <= current; b++) {
      final int slot = (int) Math.floorMod(b, n);
      final boolean live = bucketOf[slot] == b;
      r.addReceived(live ? received[slot] : 0).addSent(live ? sent[slot] : 0);
    }
    return r;
  }

  /**
   * Takes in a saved window's buckets. Saved with another bucket size (the policy's window changed
   * meanwhile), each bucket's bytes are counted at its start, which keeps them no longer than they
   * were meant to count.
   */
  void restore(final UsageRecord record) {
    for (int i = 0; i < record.getReceivedCount() && i < record.getSentCount(); i++) {
      final long at = record.getFirstBucketMs() + (long) i * record.getBucketMs();
      if (record.getReceived(i) > 0 || record.getSent(i) > 0) {
        add(at, record.getReceived(i), record.getSent(i));
      }
    }
  }
}
