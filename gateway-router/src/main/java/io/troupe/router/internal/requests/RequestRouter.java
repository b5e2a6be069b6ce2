package io.troupe.router.internal.requests;

import com.google.protobuf.ByteString;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.TunnelResponse;
import io.troupe.router.ConsumerRequest;
import io.troupe.router.Decision;
import io.troupe.router.Directive;
import io.troupe.router.GatewayRouter;
import io.troupe.router.InFlightLimits;
import io.troupe.router.RouterConfig;
import io.troupe.router.Status;
import io.troupe.router.SyncLimits;
import io.troupe.router.internal.devices.ServerState;
import io.troupe.router.internal.devices.ServerStates;
import io.troupe.router.internal.devices.VolunteerOffers;
import io.troupe.router.internal.policy.AccessPolicies;
import io.troupe.router.internal.registry.Addressed;
import io.troupe.router.internal.registry.Disclosure;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.Service;
import io.troupe.router.internal.routing.Candidates;
import io.troupe.router.internal.routing.Explanation;
import io.troupe.router.internal.routing.PendingRequest;
import io.troupe.router.internal.routing.RoutingTally;
import io.troupe.router.internal.routing.ServerChoice;
import io.troupe.router.internal.routing.Sessions;
import io.troupe.router.internal.routing.SyncSources;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests in flight: admits each ({@link RequestAdmission}), has {@link ServerChoice} choose its
 * server, fails over on timeout, disconnect and 503 until the consumer's deadline, and makes sure
 * every request gets exactly one answer. Not thread-safe: {@link GatewayRouter} calls it under its
 * lock.
 */
public final class RequestRouter {

  private static final Logger log = LoggerFactory.getLogger(RequestRouter.class);

  private final RouterConfig config;
  private final Topics topics;
  private final Clock clock;
  private final Registry registry;
  private final ServerStates servers;

  /** Draws for WEIGHTED choices; seeded in tests. */
  private final java.util.random.RandomGenerator random;

  /** How many requests the router has sent servers: the order of sends, for fair turns. */
  private long sends;

  private final Sessions sessions = new Sessions(100_000);
  private final DecisionLog decisions = new DecisionLog(16, 4_096);
  private final String idPrefix =
      Long.toString(ThreadLocalRandom.current().nextLong() >>> 16, 36) + "-";
  private final AtomicLong ids = new AtomicLong();
  private final Probes probes;
  private final RequestsInFlight inFlight;
  private final ForwardTimeouts timeouts;
  private final RequestAnswers answers;
  private final InFlightQuota quota;
  private final RequestAdmission admission;

  /** The access policies (R12) every consumer's request meets. */
  private final AccessPolicies policies;

  /** Whether a resolved request's grants and access policies let it be routed. */
  private final PolicyAdmission policyAdmission;

  /** Sync fetches (R4): who may, and how many per service at once. */
  private final SyncFetches syncFetches;

  /** Told of the bounds each request met on arrival, for the metrics. */
  private final RoutingTally tally;

  /** Requests that no server could take, held for a volunteer (R16). */
  private final VolunteerHolds holds;

  /**
   * Requests routed over {@code registry}, kept waiting in {@code inFlight}, drawing WEIGHTED
   * choices from {@code random}; the bounds each met on arrival told to {@code tally}; held for the
   * volunteers {@code offers} names when no server can take them.
   */
  public RequestRouter(
      final RouterConfig config,
      final Clock clock,
      final Registry registry,
      final ServerStates servers,
      final RequestsInFlight inFlight,
      final java.util.random.RandomGenerator random,
      final RoutingTally tally,
      final AccessPolicies policies,
      final Supplier<SyncLimits> syncLimits,
      final VolunteerOffers offers) {
    this.tally = tally;
    this.policies = policies;
    this.random = random;
    this.config = config;
    this.topics = config.topics();
    this.clock = clock;
    this.registry = registry;
    this.servers = servers;
    this.probes = new Probes(topics);
    this.inFlight = inFlight;
    this.timeouts = new ForwardTimeouts(config, servers);
    this.answers = new RequestAnswers(topics, clock, inFlight, policies);
    this.policyAdmission = new PolicyAdmission(registry, policies, answers, tally);
    this.quota = new InFlightQuota(config, inFlight);
    this.admission = new RequestAdmission(config, answers, quota, tally);
    this.syncFetches = new SyncFetches(answers, tally, syncLimits);
    this.holds = new VolunteerHolds(config, servers, offers, tally, decisions);
  }

  /** {@code device} is gone: each request waiting on it goes to the next server at once. */
  public List<Decision> failOver(final String device, final ServerState state) {
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

  /**
   * A consumer's request arrived. Returns a {@link Decision.Forward}, or a {@link Decision.Answer}
   * with a {@code refusal} when it cannot be served: 400 (no response topic, body too large), 403
   * (response topic outside the consumer's namespace; an invitation's session; a scoped identity
   * calling a service its grants do not name), 404 (no such address), 429 (its identity has its
   * share of requests or bytes waiting for an answer, or an access policy refuses it), 503 (no
   * server available, or the gateway holds all the requests it may). A {@link Decision.Delay} when
   * the consumer's bandwidth threshold holds it, or when no server is available but a volunteer is
   * asked to serve (R16, see {@link VolunteerHolds}). A deadline beyond {@link
   * InFlightLimits#maxDeadline()} is clamped to it.
   */
  public Decision onRequest(final ConsumerRequest request) {
    final String id = idPrefix + Long.toString(ids.incrementAndGet(), 36);
    final Optional<Decision.Answer> refused = admission.refusal(id, request);
    if (refused.isPresent()) {
      return refused.get();
    }
    final Optional<Addressed> addressed = Addressed.resolve(registry, request.address());
    if (addressed.isEmpty()) {
      return answers.refuse(
          id, request, true, Status.NOT_FOUND, "no service at address '" + request.address() + "'");
    }
    final Service service = addressed.get().service();
    if (SyncFetches.asks(request)) {
      return syncFetch(id, request, service);
    }
    final Optional<Decision.Answer> notGranted = policyAdmission.notGranted(id, request, service);
    if (notGranted.isPresent()) {
      return notGranted.get();
    }
    final String onlyDevice = addressed.get().device();
    final long now = clock.millis();
    final InFlightQuota.Deadline deadline = quota.deadlineOf(request);
    if (deadline.clamped()) {
      tally.clamped();
    }
    final PendingRequest p =
        new PendingRequest(id, request, service, onlyDevice, now + deadline.value().toMillis());
    final Optional<Decision.Answer> overPolicy = policyAdmission.meter(p, now);
    if (overPolicy.isPresent()) {
      return overPolicy.get();
    }
    if (p.charge.delayMs() > 0) {
      inFlight.add(p);
      return new Decision.Delay(id, 0, Duration.ofMillis(p.charge.delayMs()));
    }
    final Optional<String> first =
        recorded(
            p,
            ServerChoice.choose(
                p,
                servers,
                sessions,
                java.time.Instant.ofEpochMilli(now),
                config.statusTimeout(),
                random.nextDouble()));
    if (first.isEmpty()) {
      final List<Directive> install = answers.installLocally(p, now);
      if (install.isEmpty()) {
        final VolunteerHolds.Outcome held = holds.hold(p, now);
        if (held instanceof VolunteerHolds.Outcome.Holding h) {
          inFlight.add(p);
          return h.delay();
        }
        if (held instanceof VolunteerHolds.Outcome.Refused r) {
          return answers.refuse(id, request, true, Status.UNAVAILABLE, r.reason());
        }
      }
      final String reason =
          install.isEmpty()
              ? Disclosure.gatewayReason(
                  service, Status.UNAVAILABLE.code(), Candidates.unavailable(p, p.lastChoice))
              : PassiveServing.REASON;
      return answers.refuse(id, request, true, Status.UNAVAILABLE, reason, install);
    }
    inFlight.add(p);
    return forward(p, first.get(), now);
  }

  /**
   * A sync fetch (R4): sent to a server that holds the content, whatever the grants, policies,
   * roles and criteria; refused 403, 400, 404 or 503 by {@link SyncFetches}.
   */
  private Decision syncFetch(
      final String id, final ConsumerRequest request, final Service service) {
    final long now = clock.millis();
    final long deadlineMs = now + quota.deadlineOf(request).value().toMillis();
    final SyncFetches.Admission admitted =
        syncFetches.admit(id, request, service, deadlineMs, inFlight, p -> choose(p, now));
    if (admitted.refusal() != null) {
      return admitted.refusal();
    }
    inFlight.add(admitted.pending());
    return forward(admitted.pending(), admitted.source(), now);
  }

  /** Whether {@code requestId} waits for its bandwidth, never forwarded yet. */
  boolean isHeld(final String requestId) {
    final PendingRequest p = inFlight.get(requestId);
    return p != null && p.current == null;
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
      return replyDevice.equals(p.current) ? List.of(advance(p)) : List.of();
    }
    // a late answer from a server tried before the request was held for a volunteer ends the hold
    holds.drop(p, clock.millis());
    if (code < 100 || code > 599) {
      return List.of(
          fail(
              p,
              Status.BAD_GATEWAY.code(),
              "the server answered with an invalid status " + code,
              Optional.of(replyDevice)));
    }
    if (response.getBody().size() > config.maxPayloadBytes()) {
      return List.of(
          fail(
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

  /** The timer of a forward fired. Does nothing if that attempt has already concluded. */
  List<Decision> onForwardTimeout(final String requestId, final int attempt) {
    final PendingRequest p = inFlight.get(requestId);
    if (p == null || p.attempt != attempt) {
      return List.of();
    }
    if (p.current
        == null) { // held (Decision.Delay): by the consumer's bandwidth or for a volunteer
      final long now = clock.millis();
      if (holds.holds(p)) {
        return List.of(releaseOrHold(p, now));
      }
      final Optional<String> first = choose(p, now);
      return List.of(
          first.isPresent()
              ? forward(p, first.get(), now)
              : noServer(
                  p,
                  now,
                  () ->
                      fail(
                          p,
                          Status.UNAVAILABLE.code(),
                          Candidates.unavailable(p, p.lastChoice),
                          Optional.empty())));
    }
    final ServerState state = servers.get(p.current);
    final long now = clock.millis();
    if (state != null && now < p.deadlineMs && p.outstanding.contains(p.current)) {
      final Optional<Decision.Wait> wait =
          timeouts.waitOn(p, state, now, candidates(p, now).server());
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

  /** The last decisions for {@code address}, oldest first. */
  public List<Explanation> lastDecisions(final String address) {
    return decisions.last(address);
  }

  /** Chooses the server for the next attempt of {@code p}, and keeps the explanation. */
  private Optional<String> choose(final PendingRequest p, final long nowMs) {
    return recorded(p, candidates(p, nowMs));
  }

  /** Keeps the explanation of {@code choice} for {@code p}: the server chosen, if any. */
  private Optional<String> recorded(final PendingRequest p, final ServerChoice.Choice choice) {
    decisions.record(choice.explanation());
    p.lastChoice = choice.explanation();
    if (log.isDebugEnabled()) { // the summary is built for the log alone, on every request
      log.debug("routing [request: {}, decision: {}]", p.id, choice.explanation().summary());
    }
    return choice.server();
  }

  /** Chooses the server for the next attempt of {@code p}; records nothing. */
  private ServerChoice.Choice candidates(final PendingRequest p, final long nowMs) {
    if (p.sync != null) {
      return SyncSources.choose(
          p, servers, java.time.Instant.ofEpochMilli(nowMs), config.statusTimeout());
    }
    return ServerChoice.choose(
        p,
        servers,
        sessions,
        java.time.Instant.ofEpochMilli(nowMs),
        config.statusTimeout(),
        random.nextDouble());
  }

  /** How many requests wait for an answer. */
  int pendingCount() {
    return inFlight.size();
  }

  private Decision advance(final PendingRequest p) {
    final long now = clock.millis();
    if (now >= p.deadlineMs) {
      return fail(
          p,
          Status.TIMEOUT.code(),
          "the deadline passed with no answer from "
              + String.join(", ", p.tried)
              + (p.lastFailure.isEmpty() ? "" : " (" + p.lastFailure + ")"),
          Optional.empty());
    }
    final Optional<String> next = choose(p, now);
    if (next.isPresent()) {
      log.debug("failing over [request: {}, from: {}, to: {}]", p.id, p.lastFailure, next.get());
      return forward(p, next.get(), now);
    }
    return noServer(
        p,
        now,
        () -> {
          final Status status = p.anyTimedOut ? Status.TIMEOUT : Status.UNAVAILABLE;
          final String reason =
              p.anyTimedOut
                  ? "every eligible server timed out (" + String.join(", ", p.tried) + ")"
                  : Candidates.unavailable(p, p.lastChoice) + " (after " + p.lastFailure + ")";
          return fail(p, status.code(), reason, Optional.empty());
        });
  }

  /**
   * No server can take {@code p}, which waits in flight: held for a volunteer (R16) when one is
   * asked or already on its way, refused 503 when a bound of holding keeps it from waiting, and
   * otherwise answered as {@code unheld} says.
   */
  private Decision noServer(
      final PendingRequest p, final long now, final Supplier<Decision> unheld) {
    final VolunteerHolds.Outcome held = holds.hold(p, now);
    if (held instanceof VolunteerHolds.Outcome.Holding h) {
      return h.delay();
    }
    if (held instanceof VolunteerHolds.Outcome.Refused r) {
      return fail(p, Status.UNAVAILABLE.code(), r.reason(), Optional.empty());
    }
    return unheld.get();
  }

  /**
   * The timer of {@code p}, held for a volunteer, fired: forwarded when a server can take it now,
   * answered 504 when its deadline passed, and otherwise held on (asking the next candidate when
   * the last ask is stale).
   */
  private Decision releaseOrHold(final PendingRequest p, final long now) {
    if (now >= p.deadlineMs) {
      final String asked = holds.askedFor(p);
      return fail(
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
  public List<Decision> releaseHeld(final String device) {
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
    final ServerChoice.Choice choice = candidates(p, now);
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
    return Optional.of(forward(p, choice.server().get(), now));
  }

  /** Concludes {@code p} with an error and no body, from {@code server} or else the gateway. */
  private Decision.Answer fail(
      final PendingRequest p, final int code, final String reason, final Optional<String> server) {
    holds.drop(p, clock.millis());
    return answers.finish(p, code, reason, ByteString.EMPTY, "", server, Map.of());
  }

  private Decision.Forward forward(final PendingRequest p, final String device, final long now) {
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

  /**
   * Marks suspected the servers whose ping went unanswered, and returns the pings to send now: see
   * {@link Probes}.
   */
  public List<Directive> probes() {
    return probes.due(servers, clock.millis(), config.statusTimeout(), config.forwardTimeout());
  }

  /** {@code device} connected again: a ping sent to its previous connection says nothing now. */
  public void connected(final String device) {
    probes.forget(device);
  }
}
