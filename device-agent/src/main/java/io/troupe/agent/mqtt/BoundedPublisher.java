package io.troupe.agent.mqtt;

import io.troupe.agent.api.TroupeException;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes through a {@link Sender}, never more at once than a limit (the broker's receive
 * maximum): a publish beyond it waits in order for a free slot instead of failing, as Paho does
 * with "too many publishes in progress" (32202). A slot is freed when the publish completes,
 * however.
 *
 * <p>The device agent publishes through one of these, its limit raised to the receive maximum the
 * broker grants on each connection; any MQTT client can do the same (the benchmarks' direct
 * baseline does, so that both sides are tuned alike). Thread-safe. No Paho type is in its API: the
 * {@link Sender} adapts the client.
 *
 * @param <M> the message type the sender takes
 */
public final class BoundedPublisher<M> {

  /**
   * Hands one publish to the transport.
   *
   * @param <M> the message type
   */
  @FunctionalInterface
  public interface Sender<M> {
    /**
     * Sends {@code message} and completes {@code done} on its PUBACK (or failure); returns false,
     * leaving {@code done} alone, when the transport is momentarily full and it should be retried.
     * A runtime exception fails that publish alone and frees its slot.
     */
    boolean trySend(M message, CompletableFuture<Void> done);
  }

  private record Pending<M>(M message, CompletableFuture<Void> done) {}

  private final Sender<M> sender;
  private final Executor retryLater;
  private final Deque<Pending<M>> queued = new ConcurrentLinkedDeque<>();
  private final AtomicInteger draining = new AtomicInteger();
  private final Slots slots;
  private volatile boolean closed;

  /**
   * A publisher with {@code limit} publishes at most in flight.
   *
   * @param retryLater runs a retry after the transport said it was full, a little later
   * @throws IllegalArgumentException when {@code limit} is below 1
   */
  public BoundedPublisher(final Sender<M> sender, final int limit, final Executor retryLater) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    this.sender = java.util.Objects.requireNonNull(sender, "sender");
    this.slots = new Slots(limit);
    this.retryLater = retryLater;
  }

  /** A publisher that retries a full transport after 5 ms. */
  public BoundedPublisher(final Sender<M> sender, final int limit) {
    this(sender, limit, CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS));
  }

  /**
   * Changes the limit, as a new connection's receive maximum says; publishes in flight beyond a
   * lowered limit finish, and no new one goes out until the count is under it.
   *
   * @throws IllegalArgumentException when {@code value} is below 1
   */
  public void limit(final int value) {
    if (value < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + value);
    }
    slots.limit(value);
    drain();
  }

  /** The current limit: publishes in flight at most. */
  public int limit() {
    return slots.limit();
  }

  /** How many publishes wait for a slot. */
  public int waiting() {
    return queued.size();
  }

  /**
   * Sends {@code message} when a slot is free, in the order published. The future completes when
   * the sender completes it (on the PUBACK); it fails with whatever the sender fails it with, with
   * the exception the sender threw, or with a {@link TroupeException} of status 503 when the
   * publisher is closed before the message went out.
   */
  public CompletableFuture<Void> publish(final M message) {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new TroupeException(503, "the session is closed"));
      return done;
    }
    queued.add(new Pending<>(message, done));
    drain();
    return done;
  }

  /** Refuses further publishes and fails those still waiting with {@code error}. */
  public void close(final TroupeException error) {
    closed = true;
    Pending<M> p;
    while ((p = queued.poll()) != null) {
      p.done().completeExceptionally(error);
    }
  }

  private void drain() {
    if (draining.getAndIncrement() != 0) {
      return; // the thread already draining takes another turn
    }
    do {
      while (!queued.isEmpty() && slots.tryAcquire()) {
        final Pending<M> next = queued.poll();
        if (next == null) {
          slots.release();
          break;
        }
        send(next);
      }
    } while (draining.decrementAndGet() != 0);
  }

  private void send(final Pending<M> pending) {
    final boolean sent;
    try {
      sent = sender.trySend(pending.message(), pending.done());
    } catch (final RuntimeException e) {
      slots.release();
      pending.done().completeExceptionally(e);
      return;
    }
    if (sent) {
      pending.done().whenComplete((ok, error) -> release());
    } else {
      // keep the slot a moment: the transport's count is ahead of ours
      queued.addFirst(pending);
      retryLater.execute(this::release);
    }
  }

  private void release() {
    slots.release();
    drain();
  }

  /** A semaphore whose number of permits can follow a changing limit. */
  private static final class Slots extends Semaphore {
    private static final long serialVersionUID = 1L;
    private int limit;

    Slots(final int limit) {
      super(limit);
      this.limit = limit;
    }

    synchronized int limit() {
      return limit;
    }

    synchronized void limit(final int value) {
      if (value > limit) {
        release(value - limit);
      } else if (value < limit) {
        reducePermits(limit - value);
      }
      limit = value;
    }
  }
}
