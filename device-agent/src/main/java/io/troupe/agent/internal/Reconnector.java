package io.troupe.agent.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a lost connection back: attempts to connect after a {@link Backoff} delay, again and again
 * until one succeeds or the session closes, then tells the owner at once. Paho's own automatic
 * reconnection starts at 1 s and doubles to minutes, with no jitter: a device on a restarted
 * gateway came back 14-15 s after it listened. One attempt is pending at a time.
 */
final class Reconnector implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Reconnector.class);

  private final String clientId;
  private final Supplier<CompletableFuture<Void>> connect;
  private final Runnable onReconnected;
  private final Backoff backoff;
  private final ScheduledExecutorService timer;
  private final AtomicBoolean pending = new AtomicBoolean();
  private volatile boolean closed;
  private volatile int attempts;

  Reconnector(
      final String clientId,
      final Supplier<CompletableFuture<Void>> connect,
      final Runnable onReconnected,
      final Backoff backoff) {
    this.clientId = clientId;
    this.connect = connect;
    this.onReconnected = onReconnected;
    this.backoff = backoff;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              final Thread t = new Thread(r, "troupe-reconnect-" + clientId);
              t.setDaemon(true);
              return t;
            });
  }

  /** The connection was lost: start attempting, unless attempts are under way already. */
  void connectionLost() {
    if (!closed && pending.compareAndSet(false, true)) {
      scheduleAttempt();
    }
  }

  private void scheduleAttempt() {
    final Duration delay;
    synchronized (backoff) {
      delay = backoff.next();
    }
    try {
      timer.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (final RejectedExecutionException e) {
      pending.set(false); // closed meanwhile
    }
  }

  private void attempt() {
    if (closed) {
      pending.set(false);
      return;
    }
    attempts++;
    connect
        .get()
        .whenComplete(
            (ok, error) -> {
              if (error == null) {
                log.info("reconnected [client: {}, attempts: {}]", clientId, attempts);
                attempts = 0;
                synchronized (backoff) {
                  backoff.reset();
                }
                pending.set(false);
                runQuietly(onReconnected); // not on Paho's thread: the owner may block on it
              } else if (closed) {
                pending.set(false);
              } else {
                log.debug("reconnection failed [client: {}]: {}", clientId, error.getMessage());
                scheduleAttempt();
              }
            });
  }

  private void runQuietly(final Runnable task) {
    try {
      timer.execute(task);
    } catch (final RejectedExecutionException e) {
      log.debug("closed before telling of the reconnection [client: {}]", clientId);
    }
  }

  /** No further attempts. */
  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
  }
}
