package io.troupe.router.internal.requests;

import io.troupe.contract.Topics;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.Volunteer;
import io.troupe.router.Decision;
import io.troupe.router.Directive;
import io.troupe.router.RouterConfig;
import io.troupe.router.RouterMetrics;
import io.troupe.router.VolunteerLimits;
import io.troupe.router.internal.devices.Presence;
import io.troupe.router.internal.devices.ServerState;
import io.troupe.router.internal.devices.ServerStates;
import io.troupe.router.internal.devices.VolunteerOffers;
import io.troupe.router.internal.registry.Disclosure;
import io.troupe.router.internal.registry.ServerEntry;
import io.troupe.router.internal.registry.Service;
import io.troupe.router.internal.routing.Explanation;
import io.troupe.router.internal.routing.PendingRequest;
import io.troupe.router.internal.routing.RoutingTally;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests held for a volunteer (R16). When a request of a service in a community formed from a
 * directory group finds no usable server, a group member is asked to serve it: one that is present
 * and available, whose latest status in the community lists the service in {@code
 * volunteer_services}, and that does not serve it yet. It is sent a {@code volunteer} control (the
 * service's descriptor as members see it, and the servers of the service as sources), and the
 * request waits for it, within its deadline and the bounds of {@link VolunteerLimits}, instead of
 * being refused. At most one ask per service is outstanding: requests that arrive meanwhile wait on
 * it, and an ask that brought no server within {@link VolunteerLimits#askAgainAfter()} is followed
 * by one to the next candidate (or the same, when it is the only one). {@link VolunteerReleases}
 * forwards the held requests, in the order they arrived, when a server of the service reports
 * itself available, and answers them when their deadline passes.
 *
 * <p>Not thread-safe: {@link RequestRouter} calls it under the routing lock.
 */
final class VolunteerHolds {

  /** Logged under the request router's name, where the rest of a request's story is. */
  private static final Logger log = LoggerFactory.getLogger(RequestRouter.class);

  /** What became of a request that no server could take. */
  sealed interface Outcome {
    /** No volunteer applies: the request is answered as it was before volunteers. */
    record NotHeld() implements Outcome {}

    /** Held: {@code delay} arms its timer, and carries the ask when one is made now. */
    record Holding(Decision.Delay delay) implements Outcome {}

    /** A bound keeps it from being held: it is answered 503 with {@code reason}. */
    record Refused(String reason) implements Outcome {}
  }

  private static final Outcome NOT_HELD = new Outcome.NotHeld();

  /** The requests of one service held, oldest first, and the ask they wait on. */
  private static final class Held {
    private final Deque<PendingRequest> requests = new ArrayDeque<>();

    /** The member asked last; empty before the first ask. */
    private String asked = "";

    /** When a candidate was last looked for, whether or not one was asked. */
    private long lookedAtMs;

    /** Asked since every candidate was last asked: the next ask goes to another one. */
    private final Set<String> askedThisRound = new HashSet<>();
  }

  private final VolunteerLimits limits;
  private final Duration statusTimeout;
  private final Topics topics;
  private final ServerStates servers;
  private final VolunteerOffers offers;
  private final RoutingTally tally;
  private final DecisionLog decisions;

  /**
   * Per service, its held requests and its ask. An entry with no request stays while its ask is
   * fresh, so that a request arriving then waits on that ask rather than making another.
   */
  private final Map<Service, Held> byService = new HashMap<>();

  private final Map<String, Held> byRequest = new HashMap<>();
  private final Map<String, Integer> byIdentity = new HashMap<>();

  /**
   * Holds under {@code config}'s limits, asking members {@code offers} names among {@code servers};
   * each ask is counted in {@code tally} and explained in {@code decisions}.
   */
  VolunteerHolds(
      final RouterConfig config,
      final ServerStates servers,
      final VolunteerOffers offers,
      final RoutingTally tally,
      final DecisionLog decisions) {
    this.limits = config.volunteers();
    this.statusTimeout = config.statusTimeout();
    this.topics = config.topics();
    this.servers = servers;
    this.offers = offers;
    this.tally = tally;
    this.decisions = decisions;
  }

  /**
   * No server can take {@code p} now (its deadline not passed): holds it for a volunteer, or keeps
   * holding it (asking the next candidate when the last ask is stale). Not held when the consumer
   * named a server, the community has no group, or no ask is outstanding and no member qualifies.
   */
  Outcome hold(final PendingRequest p, final long nowMs) {
    if (byRequest.containsKey(p.id)) {
      return new Outcome.Holding(holdOn(p, nowMs));
    }
    if (p.onlyDevice != null || p.service.community().group().isEmpty()) {
      return NOT_HELD;
    }
    final Held found = byService.get(p.service);
    final boolean waitsOnAsk =
        found != null && (!found.requests.isEmpty() || !askDue(found, nowMs));
    if (!waitsOnAsk && candidate(p.service, found, nowMs).isEmpty()) {
      return NOT_HELD;
    }
    final Optional<Outcome> over = overBound(p, found);
    if (over.isPresent()) {
      return over.get();
    }
    final Held held = found != null ? found : new Held();
    byService.putIfAbsent(p.service, held);
    held.requests.addLast(p);
    byRequest.put(p.id, held);
    byIdentity.merge(identity(p), 1, Integer::sum);
    return new Outcome.Holding(waitOn(p, held, nowMs, true));
  }

  /**
   * {@code p}, held, still finds no server before its deadline: it waits on, and the next candidate
   * is asked when the last ask is stale.
   *
   * @throws IllegalStateException if {@code p} is not held
   */
  Decision.Delay holdOn(final PendingRequest p, final long nowMs) {
    final Held held = byRequest.get(p.id);
    if (held == null) {
      throw new IllegalStateException("request " + p.id + " is not held for a volunteer");
    }
    return waitOn(p, held, nowMs, false);
  }

  /** Whether {@code p} waits for a volunteer. */
  boolean holds(final PendingRequest p) {
    return byRequest.containsKey(p.id);
  }

  /** Whether no request waits for a volunteer. */
  boolean isEmpty() {
    return byRequest.isEmpty();
  }

  /**
   * The member last asked to volunteer for {@code p}'s service as members see it (a pseudonym where
   * the service hides its servers from members, R15); empty when none.
   */
  String askedFor(final PendingRequest p) {
    final Held held = byRequest.get(p.id);
    return held == null ? "" : shown(p.service, held.asked);
  }

  private static String shown(final Service s, final String device) {
    return device.isEmpty() ? device : Disclosure.listed(s, device);
  }

  /**
   * The requests held for services {@code device} serves, oldest first within each service: those
   * it may take now that it reports itself available.
   */
  List<PendingRequest> servedBy(final String device) {
    final List<PendingRequest> served = new ArrayList<>();
    for (final Map.Entry<Service, Held> e : byService.entrySet()) {
      if (e.getKey().servers().containsKey(device)) {
        served.addAll(e.getValue().requests);
      }
    }
    return served;
  }

  /** {@code p} waits no more (forwarded or answered) at {@code nowMs}; whether it was held. */
  boolean drop(final PendingRequest p, final long nowMs) {
    final Held held = byRequest.remove(p.id);
    if (held == null) {
      return false;
    }
    held.requests.remove(p);
    byIdentity.computeIfPresent(identity(p), (k, n) -> n == 1 ? null : n - 1);
    if (held.requests.isEmpty() && askDue(held, nowMs)) {
      // a fresh ask stays outstanding for the requests that come while it is fresh
      byService.remove(p.service, held);
    }
    return true;
  }

  private Optional<Outcome> overBound(final PendingRequest p, final Held found) {
    if (found != null && found.requests.size() >= limits.maxHeldPerService()) {
      tally.holdRefused(RouterMetrics.HoldCap.SERVICE);
      return Optional.of(
          new Outcome.Refused(
              "no server is available, and the service already holds "
                  + limits.maxHeldPerService()
                  + " requests for a volunteer (max-held-requests-per-service)"));
    }
    if (byIdentity.getOrDefault(identity(p), 0) >= limits.maxHeldPerIdentity()) {
      tally.holdRefused(RouterMetrics.HoldCap.IDENTITY);
      return Optional.of(
          new Outcome.Refused(
              "no server is available, and "
                  + limits.maxHeldPerIdentity()
                  + " of your requests already wait for volunteers"
                  + " (max-held-requests-per-identity)"));
    }
    return Optional.empty();
  }

  /**
   * The delay until {@code p}'s next look: at its deadline, or when the ask it waits on is stale.
   * Asks the next candidate first when the ask is due.
   */
  private Decision.Delay waitOn(
      final PendingRequest p, final Held held, final long nowMs, final boolean arrived) {
    List<Directive> ask = List.of();
    if (askDue(held, nowMs)) {
      held.lookedAtMs = nowMs;
      final Optional<String> next = candidate(p.service, held, nowMs);
      if (next.isPresent()) {
        ask = List.of(ask(p, held, next.get(), nowMs));
      }
    }
    if (arrived && ask.isEmpty()) {
      decisions.record(
          explained(
              p, nowMs, "held: waiting for " + shown(p.service, held.asked) + " to volunteer"));
    }
    p.current = null;
    final long nextLookMs = held.lookedAtMs + limits.askAgainAfter().toMillis();
    final long wake = Math.max(1, Math.min(p.deadlineMs, nextLookMs) - nowMs);
    return new Decision.Delay(p.id, p.attempt, Duration.ofMillis(wake), ask);
  }

  private boolean askDue(final Held held, final long nowMs) {
    return held.asked.isEmpty() || nowMs - held.lookedAtMs >= limits.askAgainAfter().toMillis();
  }

  /**
   * The member to ask: the first by name among those not asked in this round, or the first of all
   * when every one was (a new round).
   */
  private Optional<String> candidate(final Service s, final Held held, final long nowMs) {
    String first = null;
    String firstUnasked = null;
    for (final String device : offers.volunteersFor(s.community().name(), s.name())) {
      if (!qualifies(s, device, nowMs)) {
        continue;
      }
      if (first == null || device.compareTo(first) < 0) {
        first = device;
      }
      final boolean asked = held != null && held.askedThisRound.contains(device);
      if (!asked && (firstUnasked == null || device.compareTo(firstUnasked) < 0)) {
        firstUnasked = device;
      }
    }
    if (firstUnasked == null && first != null && held != null) {
      held.askedThisRound.clear();
    }
    return Optional.ofNullable(firstUnasked != null ? firstUnasked : first);
  }

  /** A group member, present and available, that does not serve {@code s} yet. */
  private boolean qualifies(final Service s, final String device, final long nowMs) {
    if (!s.community().groupMembers().contains(device) || s.servers().containsKey(device)) {
      return false;
    }
    final ServerState state = servers.get(device);
    return state != null
        && state.presence(nowMs, statusTimeout) == Presence.ALIVE
        && state.availability(nowMs, statusTimeout) == Availability.AVAILABLE;
  }

  private Directive ask(
      final PendingRequest p, final Held held, final String device, final long nowMs) {
    held.asked = device;
    held.askedThisRound.add(device);
    tally.volunteerAsked();
    decisions.record(
        explained(
            p, nowMs, "asked " + shown(p.service, device) + " to volunteer; the request is held"));
    log.debug(
        "asked a volunteer [request: {}, address: {}, device: {}]",
        p.id,
        p.request.address(),
        device);
    final Service s = p.service;
    final Volunteer.Builder volunteer = Volunteer.newBuilder();
    final ServiceDescriptor newest = Disclosure.descriptorForMembers(s);
    if (newest != null) {
      volunteer.setNewest(newest);
    }
    for (final ServerEntry e : s.servers().values()) {
      volunteer.addSources(Disclosure.listed(s, e.device()));
    }
    final Control control = Tunnel.control(s, nowMs).setVolunteer(volunteer).build();
    return new Directive.SendControl(device, topics.deviceControl(device), control);
  }

  /** {@code rule} for {@code p} in {@code why}, with what its last choice skipped. */
  private static Explanation explained(
      final PendingRequest p, final long nowMs, final String rule) {
    final Explanation last = p.lastChoice;
    return new Explanation(
        p.id,
        p.request.address(),
        Instant.ofEpochMilli(nowMs),
        last == null ? p.attempt + 1 : last.attempt(),
        Optional.empty(),
        rule,
        last == null ? List.of() : last.skipped(),
        last == null ? 0 : last.unnamed(),
        last == null ? "" : last.area());
  }

  private static String identity(final PendingRequest p) {
    return p.request.principal().identity();
  }
}
