package io.troupe.router.internal.requests;

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
import io.troupe.router.internal.routing.Sessions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The request path: admits each consumer's request ({@link RequestAdmission}, {@link
 * PolicyAdmission}), has {@link Attempts} choose its server and send it, and refuses it when none
 * can take it. What happens next is decided beside it: {@link Failover} on timeout, disconnect and
 * 503 until the consumer's deadline, {@link Replies} on a device's answer, {@link
 * VolunteerReleases} for requests held for a volunteer (R16) and {@link SyncFetches} for sync
 * fetches (R4); together they make sure every request gets exactly one answer. Not thread-safe:
 * {@link GatewayRouter} calls it under its lock.
 */
public final class RequestRouter {

  private final RouterConfig config;
  private final Clock clock;
  private final Registry registry;
  private final ServerStates servers;

  private final DecisionLog decisions = new DecisionLog(16, 4_096);
  private final String idPrefix =
      Long.toString(ThreadLocalRandom.current().nextLong() >>> 16, 36) + "-";
  private final AtomicLong ids = new AtomicLong();
  private final Probes probes;
  private final RequestsInFlight inFlight;
  private final RequestAnswers answers;
  private final InFlightQuota quota;
  private final RequestAdmission admission;

  /** Whether a resolved request's grants and access policies let it be routed. */
  private final PolicyAdmission policyAdmission;

  /** Sync fetches (R4): who may, and how many per service at once. */
  private final SyncFetches syncFetches;

  /** Told of the bounds each request met on arrival, for the metrics. */
  private final RoutingTally tally;

  /** Requests that no server could take, held for a volunteer (R16). */
  private final VolunteerHolds holds;

  /** The server of each attempt, its forward, and the error that ends a request. */
  private final Attempts attempts;

  /** Held requests let go: forwarded, refused or answered at their deadline. */
  private final VolunteerReleases releases;

  /** The next attempt when a server fails a request, or its timer fires. */
  private final Failover failover;

  /** What each device's reply concludes. */
  private final Replies replies;

  /**
   * Requests routed over {@code registry}, kept waiting in {@code inFlight}, drawing WEIGHTED
   * choices from {@code random}; the bounds each met on arrival told to {@code tally}, each meeting
   * {@code policies}; sync fetches bounded by {@code syncLimits}; held for the volunteers {@code
   * offers} names when no server can take them.
   */
  public RequestRouter(
      final RouterConfig config,
      final Clock clock,
      final Registry registry,
      final ServerStates servers,
      final RequestsInFlight inFlight,
      final RandomGenerator random,
      final RoutingTally tally,
      final AccessPolicies policies,
      final Supplier<SyncLimits> syncLimits,
      final VolunteerOffers offers) {
    this.tally = tally;
    this.config = config;
    this.clock = clock;
    this.registry = registry;
    this.servers = servers;
    this.probes = new Probes(config.topics());
    this.inFlight = inFlight;
    final ForwardTimeouts timeouts = new ForwardTimeouts(config, servers);
    this.answers = new RequestAnswers(config.topics(), clock, inFlight, policies);
    this.policyAdmission = new PolicyAdmission(registry, policies, answers, tally);
    this.quota = new InFlightQuota(config, inFlight);
    this.admission = new RequestAdmission(config, answers, quota, tally);
    this.holds = new VolunteerHolds(config, servers, offers, tally, decisions);
    final Sessions sessions = new Sessions(100_000);
    this.attempts =
        new Attempts(
            config, clock, servers, inFlight, random, sessions, decisions, timeouts, answers,
            policies, holds);
    this.syncFetches = new SyncFetches(answers, tally, syncLimits, inFlight, attempts);
    this.releases = new VolunteerReleases(clock, holds, attempts, decisions, tally);
    this.failover = new Failover(clock, servers, inFlight, timeouts, attempts, releases);
    this.replies =
        new Replies(
            config, clock, servers, inFlight, probes, sessions, holds, tally, answers, attempts,
            failover);
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
      final long now = clock.millis();
      return syncFetches.route(
          id, request, service, now, now + quota.deadlineOf(request).value().toMillis());
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
    final Optional<String> first = attempts.choose(p, now);
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
    return attempts.forward(p, first.get(), now);
  }

  /** Whether {@code requestId} waits for its bandwidth, never forwarded yet. */
  boolean isHeld(final String requestId) {
    final PendingRequest p = inFlight.get(requestId);
    return p != null && p.current == null;
  }

  /** {@code device} is gone: each request waiting on it goes to the next server at once. */
  public List<Decision> failOver(final String device, final ServerState state) {
    return failover.failOver(device, state);
  }

  /** A device's reply to request {@code id}: see {@link Replies}. */
  List<Decision> onReply(final String replyDevice, final String id, final TunnelResponse response) {
    return replies.onReply(replyDevice, id, response);
  }

  /** The timer of a forward fired. Does nothing if that attempt has already concluded. */
  List<Decision> onForwardTimeout(final String requestId, final int attempt) {
    return failover.onForwardTimeout(requestId, attempt);
  }

  /**
   * {@code device} reported a status: the requests held for a volunteer of the services it serves
   * go to the servers chosen for them now (itself, if it is available), in the order they arrived;
   * those none can take wait on. Empty when none is held.
   */
  public List<Decision> releaseHeld(final String device) {
    return releases.releaseHeld(device);
  }

  /** The last decisions for {@code address}, oldest first. */
  public List<Explanation> lastDecisions(final String address) {
    return decisions.last(address);
  }

  /** How many requests wait for an answer. */
  int pendingCount() {
    return inFlight.size();
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
