package io.troupe.agent.api;

import io.troupe.agent.internal.Backoff;
import io.troupe.agent.internal.MqttSession;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a {@link Membership} joins again after a reconnection: at once, and while connected again
 * after a short backoff when that fails (else the next reconnection rejoins); never once the device
 * left the community or the agent is closing.
 */
final class Rejoiner {

  // the membership's logger, as before this class was split from it
  private static final Logger log = LoggerFactory.getLogger(Membership.class);

  private final String community;
  private final String deviceId;
  private final Supplier<CompletableFuture<?>> join;
  private final BooleanSupplier unwanted;
  private final MqttSession session;
  private final ScheduledExecutorService scheduler;
  private final Backoff backoff = Backoff.standard();

  Rejoiner(
      final String community,
      final String deviceId,
      final Supplier<CompletableFuture<?>> join,
      final BooleanSupplier unwanted,
      final MqttSession session,
      final ScheduledExecutorService scheduler) {
    this.community = community;
    this.deviceId = deviceId;
    this.join = join;
    this.unwanted = unwanted;
    this.session = session;
    this.scheduler = scheduler;
  }

  /** After a reconnection: join again at once; while connected, retry a failure shortly. */
  void rejoin() {
    if (unwanted.getAsBoolean()) {
      return;
    }
    final long begun = System.nanoTime();
    join.get()
        .whenComplete(
            (r, e) -> {
              if (e == null) {
                synchronized (backoff) {
                  backoff.reset();
                }
                log.info(
                    "rejoined {} in {} ms [device: {}]",
                    community,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun),
                    deviceId);
                return;
              }
              log.warn(
                  "could not rejoin after reconnecting [device: {}]: {}", deviceId, e.getMessage());
              if (session.isConnected()) {
                retry(); // else the next reconnection rejoins
              }
            });
  }

  private void retry() {
    final Duration delay;
    synchronized (backoff) {
      delay = backoff.next();
    }
    try {
      scheduler.schedule(this::rejoin, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (final RejectedExecutionException e) {
      log.debug("closed before rejoining [device: {}]", deviceId);
    }
  }
}
