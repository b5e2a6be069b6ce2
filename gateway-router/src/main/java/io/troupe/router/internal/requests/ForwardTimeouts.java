package io.troupe.router.internal.requests;

import io.troupe.router.Decision;
import io.troupe.router.RouterConfig;
import io.troupe.router.internal.devices.Latency;
import io.troupe.router.internal.devices.ServerState;
import io.troupe.router.internal.devices.ServerStates;
import io.troupe.router.internal.routing.PendingRequest;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long a forward may take, and what to do when its timer fires while the server may still be
 * working: wait on it with a new timer, or give up on it, as {@link TimeoutPolicy} weighs its
 * {@link Latency} and load against the next server's. Not thread-safe: {@link RequestRouter} calls
 * it under the router's lock.
 */
final class ForwardTimeouts {

  /** Logged under the request router's name, where the rest of a request's story is. */
  private static final Logger log = LoggerFactory.getLogger(ForwardTimeouts.class);

  private final RouterConfig config;
  private final ServerStates servers;

  /** Timeouts of forwards to {@code servers}. */
  ForwardTimeouts(final RouterConfig config, final ServerStates servers) {
    this.config = config;
    this.servers = servers;
  }

  /**
   * The forward of {@code p} to its current server ({@code state}) timed out before the deadline,
   * with that server still owing an answer: the {@link Decision.Wait} when it is worth waiting on,
   * or empty to give up on it for {@code next}, the server the routing stages would choose now. A
   * server that answered nothing since the forward is suspected even when it is waited on.
   */
  Optional<Decision.Wait> waitOn(
      final PendingRequest p,
      final ServerState state,
      final long now,
      final Optional<String> next) {
    final Optional<TimeoutPolicy.Load> nextLoad =
        next.map(servers::get).map(s -> new TimeoutPolicy.Load(s.latency(), s.inProgress()));
    final TimeoutPolicy.Action action =
        TimeoutPolicy.onTimeout(
            new TimeoutPolicy.Load(state.latency(), state.inProgress()),
            state.presence(now, config.statusTimeout()),
            p.sentMs.getOrDefault(p.current, now),
            nextLoad);
    if (action != TimeoutPolicy.Action.WAIT) {
      return Optional.empty();
    }
    if (!state.latency().aliveSince(p.sentMs.getOrDefault(p.current, now))) {
      state.suspect();
      p.anyTimedOut = true;
      p.lastFailure = p.current + " timed out";
    }
    log.debug("waiting on a working server [request: {}, device: {}]", p.id, p.current);
    return Optional.of(new Decision.Wait(p.id, p.current, p.attempt, timeoutOf(state, p, now)));
  }

  /** The server's own forward timeout, within the consumer's deadline. */
  Duration timeoutOf(final ServerState state, final PendingRequest p, final long now) {
    return Duration.ofMillis(
        Math.min(state.latency().timeout(config.forwardTimeout()).toMillis(), p.deadlineMs - now));
  }
}
