package io.troupe.extension.intercept;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The armed forward timer of each request in flight: one per request, the newest attempt's. A timer
 * holds only the request's id and attempt, never its body, and is cancelled when the request is
 * answered, so that a finished request keeps nothing alive until its timeout.
 */
final class ForwardTimers {

  /** What a timer does when it fires. */
  interface Expiry {
    void expired(String requestId, int attempt);
  }

  private final ScheduledExecutorService scheduler;
  private final Expiry expiry;
  private final Map<String, ScheduledFuture<?>> armed = new ConcurrentHashMap<>();

  ForwardTimers(final ScheduledExecutorService scheduler, final Expiry expiry) {
    this.scheduler = scheduler;
    this.expiry = expiry;
  }

  /** Arms the timer of {@code attempt} of {@code requestId}; an earlier attempt's is cancelled. */
  void arm(final String requestId, final int attempt, final long delayMs) {
    final AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
    final ScheduledFuture<?> timer =
        scheduler.schedule(
            () -> {
              armed.remove(requestId, self.get());
              expiry.expired(requestId, attempt);
            },
            delayMs,
            TimeUnit.MILLISECONDS);
    if (timer == null) {
      return; // a scheduler that arms nothing (a test double) leaves nothing to cancel
    }
    self.set(timer);
    final ScheduledFuture<?> previous = armed.put(requestId, timer);
    if (previous != null) {
      previous.cancel(false);
    }
  }

  /** {@code requestId} is answered: its timer will not fire. */
  void cancel(final String requestId) {
    final ScheduledFuture<?> timer = armed.remove(requestId);
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /** How many requests have a timer armed. */
  int armed() {
    return armed.size();
  }
}
