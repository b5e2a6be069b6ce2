package io.troupe.router.internal.requests;

import io.troupe.router.Decision;
import io.troupe.router.Status;
import io.troupe.router.internal.devices.ServerState;
import io.troupe.router.internal.devices.ServerStates;
import io.troupe.router.internal.routing.Candidates;
import io.troupe.router.internal.routing.PendingRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a request does when its server fails it (disconnects, times out or answers 503) and when its
 * timer fires: it goes to the next server until the consumer's deadline, waits on a working server
 * when {@link ForwardTimeouts} finds that worth it, is held for a volunteer by {@link
 * VolunteerReleases} when no server is left, and is otherwise answered 504 or 503. Not thread-safe:
 * {@link RequestRouter} calls it under the routing lock.
 */
final class Failover {

  private static final Logger log = LoggerFactory.getLogger(Failover.class);

  private final Clock clock;
  private final ServerStates servers;
  private final RequestsInFlight inFlight;
  private final ForwardTimeouts timeouts;
  private final Attempts attempts;
  private final VolunteerReleases releases;

  /**
   * Failover of the requests in {@code inFlight} among {@code servers}, waiting on them as {@code
   * timeouts} weighs, sent by {@code attempts} and held by {@code releases}.
   */
  Failover(
      final Clock clock,
      final ServerStates servers,
      final RequestsInFlight inFlight,
      final ForwardTimeouts timeouts,
      final Attempts attempts,
      final VolunteerReleases releases) {
    this.clock = clock;
    this.servers = servers;
    this.inFlight = inFlight;
    this.timeouts = timeouts;
    this.attempts = attempts;
    this.releases = releases;
  }

  /** {@code device} is gone: each request waiting on it goes to the next server at once. */
  List<Decision> failOver(final String device, final ServerState state) {
    final List<Decision> decisions = new ArrayList<>();
    for (final PendingRequest p : inFlight.takeAll(device)) {
      if (p.outstanding.remove(device)) {
        state.finished();
        if (device.equals(p.current) && inFlight.waits(p)) {
          p.lastFailure = device + " disconnected";
          decisions.add(advance(p));
        }
      }
    }
    return decisions;
  }

  /** The timer of a forward fired. Does nothing if that attempt has already concluded. */
  List<Decision> onForwardTimeout(final String requestId, final int attempt) {
    final PendingRequest p = inFlight.get(requestId);
    if (p == null || p.attempt != attempt) {
      return List.of();
    }
    if (p.current
        == null) { // held (Decision.Delay): by the consumer's bandwidth or for a volunteer
      final long now = clock.millis();
      if (releases.holds(p)) {
        return List.of(releases.releaseOrHold(p, now));
      }
      final Optional<String> first = attempts.choose(p, now);
      return List.of(
          first.isPresent()
              ? attempts.forward(p, first.get(), now)
              : releases.noServer(
                  p,
                  now,
                  () ->
                      attempts.fail(
                          p,
                          Status.UNAVAILABLE.code(),
                          Candidates.unavailable(p, p.lastChoice),
                          Optional.empty())));
    }
    final ServerState state = servers.get(p.current);
    final long now = clock.millis();
    if (state != null && now < p.deadlineMs && p.outstanding.contains(p.current)) {
      final Optional<Decision.Wait> wait =
          timeouts.waitOn(p, state, now, attempts.candidates(p, now).server());
      if (wait.isPresent()) {
        return List.of(wait.get());
      }
    }
    if (inFlight.release(p, p.current) && state != null) {
      state.finished();
      state.suspect();
    }
    p.anyTimedOut = true;
    p.lastFailure = p.current + " timed out";
    return List.of(advance(p));
  }

  /**
   * {@code p}'s current server failed it ({@code p.lastFailure} says how): its next attempt, or its
   * answer when the deadline passed or no server is left.
   */
  Decision advance(final PendingRequest p) {
    final long now = clock.millis();
    if (now >= p.deadlineMs) {
      return attempts.fail(
          p,
          Status.TIMEOUT.code(),
          "the deadline passed with no answer from "
              + String.join(", ", p.tried)
              + (p.lastFailure.isEmpty() ? "" : " (" + p.lastFailure + ")"),
          Optional.empty());
    }
    final Optional<String> next = attempts.choose(p, now);
    if (next.isPresent()) {
      log.debug("failing over [request: {}, from: {}, to: {}]", p.id, p.lastFailure, next.get());
      return attempts.forward(p, next.get(), now);
    }
    return releases.noServer(
        p,
        now,
        () -> {
          final Status status = p.anyTimedOut ? Status.TIMEOUT : Status.UNAVAILABLE;
          final String reason =
              p.anyTimedOut
                  ? "every eligible server timed out (" + String.join(", ", p.tried) + ")"
                  : Candidates.unavailable(p, p.lastChoice) + " (after " + p.lastFailure + ")";
          return attempts.fail(p, status.code(), reason, Optional.empty());
        });
  }
}
