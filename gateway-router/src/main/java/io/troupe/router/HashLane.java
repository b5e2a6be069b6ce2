package io.troupe.router;

import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs expensive work (password hashes) on a given executor, at most {@code concurrency} at a time,
 * with at most {@code capacity} more waiting. Waiting work holds no thread: it is handed to the
 * executor when a running one finishes. So a flood of logins takes at most {@code concurrency}
 * threads of an executor that also serves everything else, and beyond the queue is refused at once.
 * Thread-safe.
 */
final class HashLane {

  private final Executor executor;
  private final int concurrency;
  private final int capacity;
  private final Queue<Job<?>> waiting = new ArrayDeque<>();
  private int running;

  HashLane(final Executor executor, final int concurrency, final int capacity) {
    this.executor = executor;
    this.concurrency = concurrency;
    this.capacity = capacity;
  }

  /**
   * Schedules {@code work}.
   *
   * @return its future result (failed with what it threw), or empty when the lane is full
   */
  <T> Optional<CompletableFuture<T>> submit(final Supplier<T> work) {
    final Job<T> job = new Job<>(work, new CompletableFuture<>());
    synchronized (this) {
      if (running >= concurrency) {
        if (waiting.size() >= capacity) {
          return Optional.empty();
        }
        waiting.add(job);
        return Optional.of(job.result());
      }
      running++;
    }
    start(job);
    return Optional.of(job.result());
  }

  private record Job<T>(Supplier<T> work, CompletableFuture<T> result) {}

  private void start(final Job<?> job) {
    try {
      executor.execute(() -> run(job));
    } catch (final RuntimeException e) {
      // a rejecting executor (shutting down): the job fails, the slot goes to the next
      job.result().completeExceptionally(e);
      next();
    }
  }

  private <T> void run(final Job<T> job) {
    try {
      job.result().complete(job.work().get());
    } catch (final RuntimeException e) {
      job.result().completeExceptionally(e);
    } finally {
      next();
    }
  }

  private void next() {
    final Job<?> job;
    synchronized (this) {
      job = waiting.poll();
      if (job == null) {
        running--;
        return;
      }
    }
    start(job);
  }
}
