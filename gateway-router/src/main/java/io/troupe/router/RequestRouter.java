package io.troupe.router;

import com.google.protobuf.ByteString;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.TunnelResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests in flight: picks the server for each, fails over on timeout, disconnect and 503 until
 * the consumer's deadline, and makes sure every request gets exactly one answer. Not thread-safe:
 * {@link GatewayRouter} calls it under its lock.
 */
final class RequestRouter {

  private static final Logger log = LoggerFactory.getLogger(RequestRouter.class);

  private final RouterConfig config;
  private final Topics topics;
  private final Clock clock;
  private final Registry registry;
  private final Map<String, ServerState> servers;
  private final Map<String, PendingRequest> pending = new HashMap<>();

  /** The requests each server was sent and has not concluded: what a disconnect walks. */
  private final Map<String, Set<PendingRequest>> outstandingOn = new HashMap<>();

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

  /** Requests routed over {@code registry}, drawing WEIGHTED choices from {@code random}. */
  RequestRouter(
      final RouterConfig config,
      final Clock clock,
      final Registry registry,
      final Map<String, ServerState> servers,
      final java.util.random.RandomGenerator random) {
    this.random = random;
    this.config = config;
    this.topics = config.topics();
    this.clock = clock;
    this.registry = registry;
    this.servers = servers;
    this.probes = new Probes(topics);
  }

  /** {@code device} is gone: each request waiting on it goes to the next server at once. */
  List<Decision> failOver(final String device, final ServerState state) {
    final List<Decision> decisions = new ArrayList<>();
    final Set<PendingRequest> on = outstandingOn.remove(device);
    if (on == null) {
      return decisions;
    }
    for (final PendingRequest p : on) {
      if (p.outstanding.remove(device)) {
        state.finished();
        if (device.equals(p.current) && pending.get(p.id) == p) {
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
   * (response topic outside the consumer's namespace), 404 (no such address), 503 (no server
   * available).
   */
  Decision onRequest(final ConsumerRequest request) {
    final String id = idPrefix + Long.toString(ids.incrementAndGet(), 36);
    final Principal who = request.principal();
    final Verdict answerable = AccessControl.answerableAt(topics, who, request.responseTopic());
    if (!answerable.isAllowed()) {
      return refuse(id, request, false, answerable.status(), answerable.reason());
    }
    final long size = request.size();
    if (size > config.maxPayloadBytes()) {
      return refuse(
          id,
          request,
          true,
          Status.PAYLOAD_TOO_LARGE,
          "request of "
              + size
              + " bytes (body and user properties) exceeds the limit of "
              + config.maxPayloadBytes());
    }
    if (!io.troupe.contract.Names.isAddress(request.address())) {
      return refuse(
          id,
          request,
          true,
          Status.BAD_REQUEST,
          "a service address is a dotted name of labels, got '" + request.address() + "'");
    }
    Registry.Service service = registry.byAddress.get(request.address());
    String onlyDevice = null;
    if (service == null) {
      final int dot = request.address().indexOf('.');
      final Registry.Service parent =
          dot < 0 ? null : registry.byAddress.get(request.address().substring(dot + 1));
      final String device = dot < 0 ? null : request.address().substring(0, dot);
      if (parent != null
          && parent.servers.containsKey(device)
          && Disclosure.namesServer(parent, device)) {
        service = parent;
        onlyDevice = device;
      }
    }
    if (service == null) {
      return refuse(
          id, request, true, Status.NOT_FOUND, "no service at address '" + request.address() + "'");
    }
    final long now = clock.millis();
    final Duration deadline =
        request
            .expiry()
            .filter(d -> !d.isZero() && !d.isNegative())
            .orElse(config.defaultDeadline());
    final PendingRequest p =
        new PendingRequest(id, request, service, onlyDevice, now + deadline.toMillis());
    final Optional<String> first = choose(p, now);
    if (first.isEmpty()) {
      final List<Directive> install = installLocally(p, now);
      final String reason =
          install.isEmpty()
              ? Disclosure.gatewayReason(
                  service, Status.UNAVAILABLE.code(), Candidates.unavailable(p, p.lastChoice))
              : PassiveServing.REASON;
      return refuse(id, request, true, Status.UNAVAILABLE, reason, install);
    }
    pending.put(id, p);
    return forward(p, first.get(), now);
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
    final PendingRequest p = pending.get(id);
    if (p == null || !p.tried.contains(replyDevice)) {
      return List.of();
    }
    final ServerState state = servers.get(replyDevice);
    if (release(p, replyDevice) && state != null) {
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
    if (code < 100 || code > 599) {
      return List.of(
          finish(
              p,
              Status.BAD_GATEWAY.code(),
              "the server answered with an invalid status " + code,
              ByteString.EMPTY,
              "",
              Optional.of(replyDevice),
              Map.of()));
    }
    if (response.getBody().size() > config.maxPayloadBytes()) {
      return List.of(
          finish(
              p,
              Status.INTERNAL_ERROR.code(),
              "the server's answer exceeds the size limit",
              ByteString.EMPTY,
              "",
              Optional.of(replyDevice),
              Map.of()));
    }
    sessions.bind(p, replyDevice);
    return List.of(
        finish(
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
    final PendingRequest p = pending.get(requestId);
    if (p == null || p.attempt != attempt) {
      return List.of();
    }
    final ServerState state = servers.get(p.current);
    final long now = clock.millis();
    if (state != null && now < p.deadlineMs && p.outstanding.contains(p.current)) {
      final Optional<TimeoutPolicy.Load> next =
          candidates(p, now)
              .server()
              .map(servers::get)
              .map(s -> new TimeoutPolicy.Load(s.latency(), s.inProgress()));
      final TimeoutPolicy.Action action =
          TimeoutPolicy.onTimeout(
              new TimeoutPolicy.Load(state.latency(), state.inProgress()),
              state.presence(now, config.statusTimeout()),
              p.sentMs.getOrDefault(p.current, now),
              next);
      if (action == TimeoutPolicy.Action.WAIT) {
        if (!state.latency().aliveSince(p.sentMs.getOrDefault(p.current, now))) {
          state.suspect();
          p.anyTimedOut = true;
          p.lastFailure = p.current + " timed out";
        }
        log.debug("waiting on a working server [request: {}, device: {}]", p.id, p.current);
        return List.of(new Decision.Wait(p.id, p.current, p.attempt, timeoutOf(state, p, now)));
      }
    }
    if (release(p, p.current) && state != null) {
      state.finished();
      state.suspect();
    }
    p.anyTimedOut = true;
    p.lastFailure = p.current + " timed out";
    return List.of(advance(p));
  }

  /** The last decisions for {@code address}, oldest first. */
  List<Explanation> lastDecisions(final String address) {
    return decisions.last(address);
  }

  /** Runs the routing stages for the next attempt of {@code p}, and keeps their explanation. */
  private Optional<String> choose(final PendingRequest p, final long nowMs) {
    final Candidates.Choice choice = candidates(p, nowMs);
    decisions.record(choice.explanation());
    p.lastChoice = choice.explanation();
    log.debug("routing [request: {}, decision: {}]", p.id, choice.explanation().summary());
    return choice.server();
  }

  /** {@code device} no longer owes {@code p} an answer; whether it did. */
  private boolean release(final PendingRequest p, final String device) {
    if (!p.outstanding.remove(device)) {
      return false;
    }
    unindex(p, device);
    return true;
  }

  private void unindex(final PendingRequest p, final String device) {
    final Set<PendingRequest> on = outstandingOn.get(device);
    if (on != null && on.remove(p) && on.isEmpty()) {
      outstandingOn.remove(device);
    }
  }

  /** Runs the routing stages for the next attempt of {@code p}; records nothing. */
  private Candidates.Choice candidates(final PendingRequest p, final long nowMs) {
    return Candidates.next(
        p,
        servers,
        sessions,
        java.time.Instant.ofEpochMilli(nowMs),
        config.statusTimeout(),
        random.nextDouble());
  }

  /** How many requests wait for an answer. */
  int pendingCount() {
    return pending.size();
  }

  private Decision advance(final PendingRequest p) {
    final long now = clock.millis();
    if (now >= p.deadlineMs) {
      return finish(
          p,
          Status.TIMEOUT.code(),
          "the deadline passed with no answer from "
              + String.join(", ", p.tried)
              + (p.lastFailure.isEmpty() ? "" : " (" + p.lastFailure + ")"),
          ByteString.EMPTY,
          "",
          Optional.empty(),
          Map.of());
    }
    final Optional<String> next = choose(p, now);
    if (next.isPresent()) {
      log.debug("failing over [request: {}, from: {}, to: {}]", p.id, p.lastFailure, next.get());
      return forward(p, next.get(), now);
    }
    final Status status = p.anyTimedOut ? Status.TIMEOUT : Status.UNAVAILABLE;
    final String reason =
        p.anyTimedOut
            ? "every eligible server timed out (" + String.join(", ", p.tried) + ")"
            : Candidates.unavailable(p, p.lastChoice) + " (after " + p.lastFailure + ")";
    return finish(p, status.code(), reason, ByteString.EMPTY, "", Optional.empty(), Map.of());
  }

  private Decision.Forward forward(final PendingRequest p, final String device, final long now) {
    p.tried.add(device);
    p.outstanding.add(device);
    outstandingOn.computeIfAbsent(device, d -> new java.util.LinkedHashSet<>()).add(p);
    p.current = device;
    p.attempt++;
    p.sentMs.put(device, now);
    final ServerState state = servers.get(device);
    state.started(++sends);
    final Duration timeout = timeoutOf(state, p, now);
    return new Decision.Forward(
        p.id,
        device,
        topics.deviceRequests(device),
        topics.gatewayReply(device),
        Tunnel.request(p, now),
        p.attempt,
        timeout);
  }

  /** The server's own forward timeout, within the consumer's deadline. */
  private Duration timeoutOf(final ServerState state, final PendingRequest p, final long now) {
    return Duration.ofMillis(
        Math.min(state.latency().timeout(config.forwardTimeout()).toMillis(), p.deadlineMs - now));
  }

  /**
   * Marks suspected the servers whose ping went unanswered, and returns the pings to send now: see
   * {@link Probes}.
   */
  List<Directive> probes() {
    return probes.due(servers, clock.millis(), config.statusTimeout(), config.forwardTimeout());
  }

  /** {@code device} connected again: a ping sent to its previous connection says nothing now. */
  void connected(final String device) {
    probes.forget(device);
  }

  private Decision.Answer finish(
      final PendingRequest p,
      final int code,
      final String reason,
      final ByteString body,
      final String contentType,
      final Optional<String> server,
      final Map<String, String> properties) {
    pending.remove(p.id);
    for (final String device : p.outstanding) {
      unindex(p, device);
      final ServerState s = servers.get(device);
      if (s != null) {
        s.finished();
      }
    }
    p.outstanding.clear();
    final boolean byGateway = server.isEmpty();
    final List<Directive> install =
        byGateway && code >= Status.UNAVAILABLE.code()
            ? installLocally(p, clock.millis())
            : List.of();
    final String told =
        !install.isEmpty()
            ? PassiveServing.REASON
            : byGateway ? Disclosure.gatewayReason(p.service, code, reason) : reason;
    return new Decision.Answer(
        p.id,
        p.request.principal().clientId(),
        p.request.responseTopic(),
        p.request.correlationData(),
        code,
        told,
        body,
        contentType,
        server.filter(d -> Disclosure.namesServer(p.service, d)),
        properties,
        Optional.empty(),
        install);
  }

  /** The {@code install_locally} control when the consumer is a passive server of the service. */
  private List<Directive> installLocally(final PendingRequest p, final long nowMs) {
    if (p.onlyDevice != null) {
      return List.of();
    }
    return PassiveServing.installLocally(topics, p.service, p.request.principal(), nowMs)
        .map(List::of)
        .orElse(List.of());
  }

  private Decision.Answer refuse(
      final String id,
      final ConsumerRequest request,
      final boolean answerable,
      final Status status,
      final String reason) {
    return refuse(id, request, answerable, status, reason, List.of());
  }

  /** A refusal, and {@code directives} to carry out with it. */
  private Decision.Answer refuse(
      final String id,
      final ConsumerRequest request,
      final boolean answerable,
      final Status status,
      final String reason,
      final List<Directive> directives) {
    log.debug(
        "refused request [client: {}, address: {}, status: {}, reason: {}]",
        request.principal().clientId(),
        request.address(),
        status.code(),
        reason);
    return new Decision.Answer(
        id,
        request.principal().clientId(),
        answerable ? request.responseTopic() : Optional.empty(),
        request.correlationData(),
        status.code(),
        reason,
        ByteString.EMPTY,
        "",
        Optional.empty(),
        Map.of(),
        Optional.of(status),
        directives);
  }
}
