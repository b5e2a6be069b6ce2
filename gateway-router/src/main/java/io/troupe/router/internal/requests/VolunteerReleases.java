package io.troupe.router.internal.requests;

import io.troupe.router.Decision;
import io.troupe.router.Status;
import io.troupe.router.internal.routing.Explanation;
import io.troupe.router.internal.routing.PendingRequest;
import io.troupe.router.internal.routing.RoutingTally;
import io.troupe.router.internal.routing.ServerChoice;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a request in flight finds no server, and when it is let go: held for a volunteer (R16) by
 * {@link VolunteerHolds}, refused 503 when a bound of holding keeps it from waiting, forwarded once
 * a server of its service can take it, and answered 504 when its deadline passes first. Not
 * thread-safe: {@link RequestRouter} calls it under the routing lock.
 */
final class VolunteerReleases {

  private static final Logger log = LoggerFactory.getLogger(VolunteerReleases.class);

  private final Clock clock;
  private final VolunteerHolds holds;
  private final Attempts attempts;
  private final DecisionLog decisions;
  private final RoutingTally tally;

  /**
   * Releases of the requests {@code holds} keeps, sent by {@code attempts}; each release explained
   * in {@code decisions} and counted in {@code tally}.
   */
  VolunteerReleases(
      final Clock clock,
      final VolunteerHolds holds,
      final Attempts attempts,
      final DecisionLog decisions,
      final RoutingTally tally) {
    this.clock = clock;
    this.holds = holds;
    this.attempts = attempts;
    this.decisions = decisions;
    this.tally = tally;
  }

  /** Whether {@code p} waits for a volunteer. */
  boolean holds(final PendingRequest p) {
    return holds.holds(p);
  }

  /**
   * No server can take {@code p}, which waits in flight: held for a volunteer (R16) when one is
   * asked or already on its way, refused 503 when a bound of holding keeps it from waiting, and
   * otherwise answered as {@code unheld} says.
   */
  Decision noServer(final PendingRequest p, final long now, final Supplier<Decision> unheld) {
    final VolunteerHolds.Outcome held = holds.hold(p, now);
    if (held instanceof VolunteerHolds.Outcome.Holding h) {
      return h.delay();
    }
    if (held instanceof VolunteerHolds.Outcome.Refused r) {
      return attempts.fail(p, Status.UNAVAILABLE.code(), r.reason(), Optional.empty());
    }
    return unheld.get();
  }

  /**
   * The timer of {@code p}, held for a volunteer, fired: forwarded when a server can take it now,
   * answered 504 when its deadline passed, and otherwise held on (asking the next candidate when
   * the last ask is stale).
   */
  Decision releaseOrHold(final PendingRequest p, final long now) {
    if (now >= p.deadlineMs) {
      final String asked = holds.askedFor(p);
      return attempts.fail(
          p,
          Status.TIMEOUT.code(),
          "the deadline passed while the request waited for a volunteer ("
              + asked
              + " was asked; no server came)",
          Optional.empty());
    }
    return released(p, now).orElseGet(() -> holds.holdOn(p, now));
  }

  /**
   * {@code device} reported a status: the requests held for a volunteer of the services it serves
   * go to the servers chosen for them now (itself, if it is available), in the order they arrived;
   * those none can take wait on. Empty when none is held.
   */
  List<Decision> releaseHeld(final String device) {
    if (holds.isEmpty()) {
      return List.of();
    }
    final long now = clock.millis();
    final List<Decision> forwarded = new ArrayList<>();
    for (final PendingRequest p : holds.servedBy(device)) {
      if (now < p.deadlineMs) { // past it, its timer answers it
        released(p, now).ifPresent(forwarded::add);
      }
    }
    return forwarded;
  }

  /**
   * Forwards {@code p}, held for a volunteer, if a server can take it now: the choice is explained
   * as one made after holding. Empty, recording nothing, when none can.
   */
  private Optional<Decision> released(final PendingRequest p, final long now) {
    final ServerChoice.Choice choice = attempts.candidates(p, now);
    if (choice.server().isEmpty()) {
      return Optional.empty();
    }
    final Explanation e = choice.explanation();
    final String asked = holds.askedFor(p);
    final Explanation held =
        new Explanation(
            e.requestId(),
            e.address(),
            e.at(),
            e.attempt(),
            e.server(),
            e.rule() + " (the request was held for a volunteer; " + asked + " was asked)",
            e.skipped(),
            e.unnamed(),
            e.area());
    decisions.record(held);
    p.lastChoice = held;
    holds.drop(p, now);
    tally.volunteerServed();
    log.debug("forwarding a held request [request: {}, to: {}]", p.id, choice.server().get());
    return Optional.of(attempts.forward(p, choice.server().get(), now));
  }
}
