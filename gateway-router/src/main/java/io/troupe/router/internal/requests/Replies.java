package io.troupe.router.internal.requests;

import io.troupe.proto.v1.TunnelResponse;
import io.troupe.router.Decision;
import io.troupe.router.RouterConfig;
import io.troupe.router.Status;
import io.troupe.router.internal.devices.ServerState;
import io.troupe.router.internal.devices.ServerStates;
import io.troupe.router.internal.routing.PendingRequest;
import io.troupe.router.internal.routing.RoutingTally;
import io.troupe.router.internal.routing.Sessions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * What a device's reply does: answers a ping ({@link Probes}), or concludes the request it answers
 * with the server's answer, or with 502 (an invalid status) or 500 (a body over the size limit); a
 * 503 from the current server fails the request over. Each reply tells the server's {@link
 * ServerState} that it is alive and how long it took. Not thread-safe: {@link RequestRouter} calls
 * it under the routing lock.
 */
final class Replies {

  private final RouterConfig config;
  private final Clock clock;
  private final ServerStates servers;
  private final RequestsInFlight inFlight;
  private final Probes probes;
  private final Sessions sessions;
  private final VolunteerHolds holds;
  private final RoutingTally tally;
  private final RequestAnswers answers;
  private final Attempts attempts;
  private final Failover failover;

  /**
   * Replies to the requests in {@code inFlight} and the pings of {@code probes}, from {@code
   * servers}; each answer binds the consumer's session in {@code sessions}, ends a hold in {@code
   * holds} and is given by {@code answers}; a sync fetch's bytes are counted in {@code tally}.
   */
  Replies(
      final RouterConfig config,
      final Clock clock,
      final ServerStates servers,
      final RequestsInFlight inFlight,
      final Probes probes,
      final Sessions sessions,
      final VolunteerHolds holds,
      final RoutingTally tally,
      final RequestAnswers answers,
      final Attempts attempts,
      final Failover failover) {
    this.config = config;
    this.clock = clock;
    this.servers = servers;
    this.inFlight = inFlight;
    this.probes = probes;
    this.sessions = sessions;
    this.holds = holds;
    this.tally = tally;
    this.answers = answers;
    this.attempts = attempts;
    this.failover = failover;
  }

  /** A device's reply to request {@code id}. */
  List<Decision> onReply(final String replyDevice, final String id, final TunnelResponse response) {
    if (Probes.isPing(id)) {
      final ServerState s = servers.get(replyDevice);
      if (s != null) {
        probes.answered(replyDevice, id, s, clock.millis());
      }
      return List.of();
    }
    final PendingRequest p = inFlight.get(id);
    if (p == null || !p.tried.contains(replyDevice)) {
      return List.of();
    }
    final ServerState state = servers.get(replyDevice);
    if (inFlight.release(p, replyDevice) && state != null) {
      state.finished();
    }
    final int code = response.getStatus() == 0 ? 200 : response.getStatus();
    if (state != null) {
      state.replied();
      final long now = clock.millis();
      final Long sent = p.sentMs.get(replyDevice);
      if (sent != null && code != Status.UNAVAILABLE.code()) {
        state.latency().sample(now - sent, now);
      } else {
        state.latency().answered(now);
      }
    }
    if (code == Status.UNAVAILABLE.code()) {
      p.lastFailure = replyDevice + " answered 503";
      return replyDevice.equals(p.current) ? List.of(failover.advance(p)) : List.of();
    }
    // a late answer from a server tried before the request was held for a volunteer ends the hold
    holds.drop(p, clock.millis());
    if (code < 100 || code > 599) {
      return List.of(
          attempts.fail(
              p,
              Status.BAD_GATEWAY.code(),
              "the server answered with an invalid status " + code,
              Optional.of(replyDevice)));
    }
    if (response.getBody().size() > config.maxPayloadBytes()) {
      return List.of(
          attempts.fail(
              p,
              Status.INTERNAL_ERROR.code(),
              "the server's answer exceeds the size limit",
              Optional.of(replyDevice)));
    }
    if (p.sync != null) {
      tally.syncFetchBytes(response.getBody().size());
    } else {
      sessions.bind(p, replyDevice);
    }
    return List.of(
        answers.finish(
            p,
            code,
            response.getPropertiesOrDefault("reason", ""),
            response.getBody(),
            response.getContentType(),
            Optional.of(replyDevice),
            response.getPropertiesMap()));
  }
}
