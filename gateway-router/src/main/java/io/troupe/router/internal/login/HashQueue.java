package io.troupe.router.internal.login;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs expensive work (password hashes) on a given executor, at most {@code concurrency} at a time,
 * fairly between keys (identities): one job per key at a time, and the keys with waiting work take
 * turns, so that whoever floods one key (guesses at one identity, or names that are no identity,
 * which share one key) waits behind their own work and takes one turn in as many as there are keys
 * waiting. At most {@code perKey} jobs wait per key and {@code capacity} in all; beyond that a job
 * is refused at once. Waiting work holds no thread: it is handed to the executor when a running one
 * finishes. Thread-safe.
 */
public final class HashQueue {

  private record Job<T>(String key, Supplier<T> work, CompletableFuture<T> result) {}

  private final Executor executor;
  private final int concurrency;
  private final int perKey;
  private final int capacity;
  private final Map<String, Queue<Job<?>>> waiting = new HashMap<>();
  private final Queue<String> turns = new ArrayDeque<>(); // keys with waiting work, none running
  private final Set<String> runningKeys = new HashSet<>();
  private int queued;

  public HashQueue(
      final Executor executor, final int concurrency, final int perKey, final int capacity) {
    this.executor = executor;
    this.concurrency = concurrency;
    this.perKey = perKey;
    this.capacity = capacity;
  }

  /**
   * Schedules {@code work} under {@code key}.
   *
   * @return its future result (failed with what it threw), or empty when the key's queue or the
   *     whole queue is full
   */
  public <T> Optional<CompletableFuture<T>> submit(final String key, final Supplier<T> work) {
    final Job<T> job = new Job<>(key, work, new CompletableFuture<>());
    synchronized (this) {
      if (runningKeys.contains(key) || runningKeys.size() >= concurrency) {
        final Queue<Job<?>> queue = waiting.get(key);
        final int waitingForKey = queue == null ? 0 : queue.size();
        if (queued >= capacity || waitingForKey >= perKey) {
          return Optional.empty();
        }
        if (queue == null) {
          waiting.computeIfAbsent(key, k -> new ArrayDeque<>()).add(job);
          if (!runningKeys.contains(key)) {
            turns.add(key);
          }
        } else {
          queue.add(job);
        }
        queued++;
        return Optional.of(job.result());
      }
      runningKeys.add(key);
    }
    start(job);
    return Optional.of(job.result());
  }

  private void start(final Job<?> job) {
    try {
      executor.execute(() -> run(job));
    } catch (final RuntimeException e) {
      // a rejecting executor (shutting down): the job fails, the slot goes to the next
      job.result().completeExceptionally(e);
      finished(job.key());
    }
  }

  private <T> void run(final Job<T> job) {
    try {
      job.result().complete(job.work().get());
    } catch (final RuntimeException e) {
      job.result().completeExceptionally(e);
    } finally {
      finished(job.key());
    }
  }

  private void finished(final String key) {
    final Job<?> next;
    synchronized (this) {
      runningKeys.remove(key);
      if (waiting.containsKey(key)) {
        turns.add(key);
      }
      final String turn = turns.poll();
      if (turn == null) {
        return;
      }
      final Queue<Job<?>> queue = waiting.get(turn);
      next = queue.poll();
      if (queue.isEmpty()) {
        waiting.remove(turn);
      }
      queued--;
      runningKeys.add(turn);
    }
    start(next);
  }
}
