package io.troupe.agent.internal;

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
 */
public final class BoundedPublisher implements Publisher {

  /** Hands one publish to the transport. */
  @FunctionalInterface
  public interface Sender {
    /**
     * Sends {@code message} and completes {@code done} on its PUBACK (or failure); returns false,
     * leaving {@code done} alone, when the transport is momentarily full and it should be retried.
     */
    boolean trySend(Outgoing message, CompletableFuture<Void> done);
  }

  private record Pending(Outgoing message, CompletableFuture<Void> done) {}

  private final Sender sender;
  private final Executor retryLater;
  private final Deque<Pending> queued = new ConcurrentLinkedDeque<>();
  private final AtomicInteger draining = new AtomicInteger();
  private final Slots slots;
  private volatile boolean closed;

  /**
   * @param retryLater runs a retry after the transport said it was full, a little later
   */
  public BoundedPublisher(final Sender sender, final int limit, final Executor retryLater) {
    this.sender = sender;
    this.slots = new Slots(limit);
    this.retryLater = retryLater;
  }

  /** A publisher that retries a full transport after 5 ms. */
  public BoundedPublisher(final Sender sender, final int limit) {
    this(sender, limit, CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS));
  }

  /** Changes the limit, as a new connection's receive maximum says. */
  public void limit(final int value) {
    slots.limit(value);
    drain();
  }

  /** How many publishes wait for a slot. */
  public int waiting() {
    return queued.size();
  }

  @Override
  public CompletableFuture<Void> publish(final Outgoing message) {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(new TroupeException(503, "the session is closed"));
      return done;
    }
    queued.add(new Pending(message, done));
    drain();
    return done;
  }

  /** Refuses further publishes and fails those still waiting with {@code error}. */
  public void close(final TroupeException error) {
    closed = true;
    Pending p;
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
        final Pending next = queued.poll();
        if (next == null) {
          slots.release();
          break;
        }
        send(next);
      }
    } while (draining.decrementAndGet() != 0);
  }

  private void send(final Pending pending) {
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
