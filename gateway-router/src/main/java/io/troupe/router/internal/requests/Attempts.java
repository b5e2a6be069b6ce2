package io.troupe.router.internal.requests;

import com.google.protobuf.ByteString;
import io.troupe.contract.Topics;
import io.troupe.router.Decision;
import io.troupe.router.RouterConfig;
import io.troupe.router.internal.devices.ServerState;
import io.troupe.router.internal.devices.ServerStates;
import io.troupe.router.internal.policy.AccessPolicies;
import io.troupe.router.internal.routing.PendingRequest;
import io.troupe.router.internal.routing.ServerChoice;
import io.troupe.router.internal.routing.Sessions;
import io.troupe.router.internal.routing.SyncSources;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempts of a request: which server the next one goes to ({@link ServerChoice}, or {@link
 * SyncSources} for a sync fetch), its {@link Decision.Forward}, and the error that concludes the
 * request when no attempt is left. Every path of {@link RequestRouter} sends and fails requests
 * here, so that each send counts in the same order of turns and each choice is explained in the
 * same {@link DecisionLog}. Not thread-safe: {@link RequestRouter} calls it under the routing lock.
 */
final class Attempts {

  private static final Logger log = LoggerFactory.getLogger(Attempts.class);

  private final RouterConfig config;
  private final Topics topics;
  private final Clock clock;
  private final ServerStates servers;
  private final RequestsInFlight inFlight;
  private final Sessions sessions;
  private final DecisionLog decisions;
  private final ForwardTimeouts timeouts;
  private final RequestAnswers answers;
  private final AccessPolicies policies;
  private final VolunteerHolds holds;

  /** Draws for WEIGHTED choices; seeded in tests. */
  private final RandomGenerator random;

  /** How many requests the router has sent servers: the order of sends, for fair turns. */
  private long sends;

  /**
   * Attempts of requests in {@code inFlight} on {@code servers}, keeping the consumers' {@code
   * sessions}, drawing WEIGHTED choices from {@code random} and explaining each in {@code
   * decisions}; each forward timed by {@code timeouts} and told to {@code policies}, each failure
   * answered by {@code answers} and ending the request's hold in {@code holds}.
   */
  Attempts(
      final RouterConfig config,
      final Clock clock,
      final ServerStates servers,
      final RequestsInFlight inFlight,
      final RandomGenerator random,
      final Sessions sessions,
      final DecisionLog decisions,
      final ForwardTimeouts timeouts,
      final RequestAnswers answers,
      final AccessPolicies policies,
      final VolunteerHolds holds) {
    this.config = config;
    this.topics = config.topics();
    this.clock = clock;
    this.servers = servers;
    this.inFlight = inFlight;
    this.random = random;
    this.sessions = sessions;
    this.decisions = decisions;
    this.timeouts = timeouts;
    this.answers = answers;
    this.policies = policies;
    this.holds = holds;
  }

  /** Chooses the server for the next attempt of {@code p}, and keeps the explanation. */
  Optional<String> choose(final PendingRequest p, final long nowMs) {
    final ServerChoice.Choice choice = candidates(p, nowMs);
    decisions.record(choice.explanation());
    p.lastChoice = choice.explanation();
    if (log.isDebugEnabled()) { // the summary is built for the log alone, on every request
      log.debug("routing [request: {}, decision: {}]", p.id, choice.explanation().summary());
    }
    return choice.server();
  }

  /** Chooses the server for the next attempt of {@code p}; records nothing. */
  ServerChoice.Choice candidates(final PendingRequest p, final long nowMs) {
    if (p.sync != null) {
      return SyncSources.choose(p, servers, Instant.ofEpochMilli(nowMs), config.statusTimeout());
    }
    return ServerChoice.choose(
        p,
        servers,
        sessions,
        Instant.ofEpochMilli(nowMs),
        config.statusTimeout(),
        random.nextDouble());
  }

  /** Sends {@code p} to {@code device} at {@code now}: its next attempt, timed by that server. */
  Decision.Forward forward(final PendingRequest p, final String device, final long now) {
    p.tried.add(device);
    inFlight.sent(p, device);
    p.current = device;
    p.attempt++;
    p.sentMs.put(device, now);
    policies.forwarded(p.charge, device, p.request.size(), now);
    final ServerState state = servers.get(device);
    state.started(++sends);
    final Duration timeout = timeouts.timeoutOf(state, p, now);
    return new Decision.Forward(
        p.id,
        device,
        topics.deviceRequests(device),
        topics.gatewayReply(device),
        Tunnel.request(p, now),
        p.attempt,
        timeout);
  }

  /** Concludes {@code p} with an error and no body, from {@code server} or else the gateway. */
  Decision.Answer fail(
      final PendingRequest p, final int code, final String reason, final Optional<String> server) {
    holds.drop(p, clock.millis());
    return answers.finish(p, code, reason, ByteString.EMPTY, "", server, Map.of());
  }
}
