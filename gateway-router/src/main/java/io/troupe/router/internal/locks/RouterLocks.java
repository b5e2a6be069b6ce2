package io.troupe.router.internal.locks;

import java.util.function.Supplier;

/**
 * The router's two locks and the one order they are taken in.
 *
 * <p>The routing lock guards the registry, presence and requests in flight: every routing decision.
 * The change lock serialises changes to the registry and their writes to the store; it is taken
 * before the routing lock and held while writing, so writes come in the order of the changes, and
 * routing (which takes only the routing lock) never waits for the disk. Taking the change lock
 * while holding the routing lock would invert that order, and throws.
 */
public final class RouterLocks {

  private final Object routing = new Object();
  private final Object changes = new Object();

  /** Runs {@code action} under the routing lock. */
  public <T> T routing(final Supplier<T> action) {
    synchronized (routing) {
      return action.get();
    }
  }

  /** Runs {@code action} under the routing lock. */
  public void routing(final Runnable action) {
    synchronized (routing) {
      action.run();
    }
  }

  /**
   * Runs {@code action} under the change lock; {@code action} takes the routing lock itself where
   * it touches the registry, and writes to the store outside it.
   *
   * @throws IllegalStateException if the caller holds the routing lock
   */
  public <T> T changes(final Supplier<T> action) {
    checkOrder();
    synchronized (changes) {
      return action.get();
    }
  }

  /**
   * Runs {@code action} under the change lock: see {@link #changes(Supplier)}.
   *
   * @throws IllegalStateException if the caller holds the routing lock
   */
  public void changes(final Runnable action) {
    checkOrder();
    synchronized (changes) {
      action.run();
    }
  }

  private void checkOrder() {
    if (Thread.holdsLock(routing) && !Thread.holdsLock(changes)) {
      throw new IllegalStateException("the change lock is taken before the routing lock");
    }
  }
}
