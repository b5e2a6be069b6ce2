package io.troupe.extension.intercept;

import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The armed forward timer of each request in flight: one per request, the newest attempt's. A timer
 * holds only the request's id and attempt, never its body, and is forgotten when the request is
 * answered, so that a finished request keeps nothing alive until its timeout.
 *
 * <p>The scheduler holds one wake-up, at the earliest deadline, not one task per request: a task
 * per request woke a scheduler thread for every request (to run or discard it), a cost the routed
 * path paid on every request though almost none times out. Arming a later deadline than the one the
 * wake-up is set for, the usual case, touches no scheduler; a wake-up finding only answered
 * requests sets the next for the earliest one still armed.
 */
final class ForwardTimers {

  /** What a timer does when it fires. */
  interface Expiry {
    void expired(String requestId, int attempt);
  }

  private static final Logger log = LoggerFactory.getLogger(ForwardTimers.class);

  private record Armed(String requestId, int attempt, long dueNanos, long order) {}

  private static final Comparator<Armed> BY_DUE =
      Comparator.comparingLong(Armed::dueNanos).thenComparingLong(Armed::order);

  private final ScheduledExecutorService scheduler;
  private final Expiry expiry;
  private final Map<String, Armed> armed = new ConcurrentHashMap<>();
  private final ConcurrentNavigableMap<Armed, Boolean> byDue = new ConcurrentSkipListMap<>(BY_DUE);
  private final AtomicLong order = new AtomicLong();

  /** Guards the one wake-up: when it is due and the task that will run it. */
  private final Object wakeLock = new Object();

  private long wakeAtNanos;
  private ScheduledFuture<?> wake;

  ForwardTimers(final ScheduledExecutorService scheduler, final Expiry expiry) {
    this.scheduler = scheduler;
    this.expiry = expiry;
  }

  /** Arms the timer of {@code attempt} of {@code requestId}; an earlier attempt's is cancelled. */
  void arm(final String requestId, final int attempt, final long delayMs) {
    final Armed timer =
        new Armed(
            requestId,
            attempt,
            System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs),
            order.incrementAndGet());
    final Armed previous = armed.put(requestId, timer);
    if (previous != null) {
      byDue.remove(previous);
    }
    byDue.put(timer, Boolean.TRUE);
    wakeBy(timer.dueNanos());
  }

  /** {@code requestId} is answered: its timer will not fire. */
  void cancel(final String requestId) {
    final Armed timer = armed.remove(requestId);
    if (timer != null) {
      byDue.remove(timer);
    }
  }

  /** How many requests have a timer armed. */
  int armed() {
    return armed.size();
  }

  /** Makes sure a wake-up runs no later than {@code dueNanos}. */
  private void wakeBy(final long dueNanos) {
    synchronized (wakeLock) {
      if (wake != null && wakeAtNanos - dueNanos <= 0) {
        return;
      }
      if (wake != null) {
        wake.cancel(false);
      }
      wakeAtNanos = dueNanos;
      wake =
          scheduler.schedule(
              this::fire, Math.max(0, dueNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
  }

  private void fire() {
    synchronized (wakeLock) {
      // from here on, whoever arms a timer sets a wake-up of its own; none is lost
      wake = null;
    }
    for (Map.Entry<Armed, Boolean> e = byDue.firstEntry(); e != null; e = byDue.firstEntry()) {
      final Armed first = e.getKey();
      if (first.dueNanos() - System.nanoTime() > 0) {
        wakeBy(first.dueNanos());
        return;
      }
      // a timer re-armed or cancelled meanwhile, or taken by another wake-up, is not told
      if (byDue.remove(first) != null && armed.remove(first.requestId(), first)) {
        try {
          expiry.expired(first.requestId(), first.attempt());
        } catch (final RuntimeException ex) {
          // one failed timeout must not strand the timers behind it
          log.error("a forward timeout failed [request: {}]", first.requestId(), ex);
        }
      }
    }
  }
}
