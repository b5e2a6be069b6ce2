package io.troupe.router;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.troupe.contract.Names;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.GatewayState;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.TunnelResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's brain. It takes events (a client authenticates, a status arrives, a request
 * arrives, a server replies, a timer fires, a client disconnects, an API request arrives) and
 * returns decisions; it publishes nothing, starts no thread and reads time only from the given
 * clock. Thread-safe: every event is handled under one lock, and none of them blocks but the API
 * operations that save the state.
 */
public final class GatewayRouter {

  private static final Logger log = LoggerFactory.getLogger(GatewayRouter.class);

  private final RouterConfig config;
  private final Topics topics;
  private final Clock clock;
  private final StateStore store;
  private final Registry registry;
  private final GatewayApi api;
  private final Map<String, ServerState> servers = new HashMap<>();
  private final Map<String, PendingRequest> pending = new HashMap<>();
  private final Sessions sessions = new Sessions(100_000);
  private final String idPrefix;
  private final AtomicLong ids = new AtomicLong();
  private final Object lock = new Object();

  /**
   * Loads the saved state from {@code store}.
   *
   * @throws StateStore.StateStoreException when the store cannot be read
   */
  public GatewayRouter(final RouterConfig config, final Clock clock, final StateStore store) {
    this.config = Objects.requireNonNull(config, "config");
    this.topics = config.topics();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.store = Objects.requireNonNull(store, "store");
    this.registry = store.load().map(Registry::fromState).orElseGet(Registry::new);
    this.api = new GatewayApi(registry, clock::millis);
    this.idPrefix = Long.toString(ThreadLocalRandom.current().nextLong() >>> 16, 36) + "-";
  }

  public RouterConfig config() {
    return config;
  }

  // ---------------------------------------------------------------- identities

  /** A new random password: 24 URL-safe characters, 144 bits. */
  public static String newPassword() {
    return PasswordHasher.newPassword();
  }

  /** Whether any admin identity exists. */
  public boolean hasAdmin() {
    synchronized (lock) {
      return registry.identities.values().stream().anyMatch(i -> i.getRole() == IdentityRole.ADMIN);
    }
  }

  /**
   * Creates an admin identity with {@code password} and saves it: the gateway's bootstrap, done
   * once when no admin exists.
   *
   * @throws IllegalArgumentException if the name is not a valid identity name or exists
   */
  public void addAdmin(final String name, final String password) {
    Names.requireLabel(name, "admin name");
    synchronized (lock) {
      if (registry.identities.containsKey(name)) {
        throw new IllegalArgumentException("identity '" + name + "' exists");
      }
      registry.identities.put(name, GatewayApi.identityRecord(name, IdentityRole.ADMIN, password));
      save();
    }
  }

  /**
   * Checks a client's credentials. The identity is the MQTT user name.
   *
   * @return the principal, or a refusal with the reason (unknown identity and wrong password read
   *     alike)
   */
  public Authentication authenticate(
      final String clientId, final Optional<String> userName, final Optional<byte[]> password) {
    if (userName.isEmpty() || password.isEmpty()) {
      return Authentication.refused("a user name and password are required");
    }
    final IdentityRecord record;
    synchronized (lock) {
      record = registry.identities.get(userName.get());
    }
    final char[] secret =
        new String(password.get(), java.nio.charset.StandardCharsets.UTF_8).toCharArray();
    if (record == null
        || !PasswordHasher.matches(
            secret,
            record.getSalt().toByteArray(),
            record.getIterations(),
            record.getHash().toByteArray())) {
      return Authentication.refused("bad user name or password");
    }
    if (record.getRole() == IdentityRole.DEVICE && !Names.isLabel(clientId)) {
      return Authentication.refused(
          "a device's client id must be a name of lowercase letters, digits and hyphens");
    }
    if (!Names.isTopicLevel(clientId)) {
      return Authentication.refused("a client id must not contain '/', '+' or '#'");
    }
    return Authentication.of(new Principal(record.getName(), record.getRole(), clientId));
  }

  // ---------------------------------------------------------------- presence

  /** A device session connected; {@code connectionId} tells its connections apart. */
  public void onDeviceConnected(final Principal device, final long connectionId) {
    if (!device.isDevice()) {
      return;
    }
    synchronized (lock) {
      servers.computeIfAbsent(device.identity(), d -> new ServerState()).connected(connectionId);
    }
  }

  /**
   * A client's session ended. For a device, every request in flight to it goes to the next server
   * at once.
   */
  public List<Decision> onDisconnected(final Principal who, final long connectionId) {
    if (!who.isDevice()) {
      return List.of();
    }
    synchronized (lock) {
      final ServerState state = servers.get(who.identity());
      if (state == null || !state.disconnected(connectionId)) {
        return List.of();
      }
      final List<Decision> decisions = new ArrayList<>();
      for (final PendingRequest p : List.copyOf(pending.values())) {
        if (p.outstanding.remove(who.identity())) {
          state.finished();
          if (who.identity().equals(p.current)) {
            p.lastFailure = who.identity() + " disconnected";
            decisions.add(advance(p));
          }
        }
      }
      return decisions;
    }
  }

  /**
   * A status message arrived on {@code {root}/c/{community}/status/{device}}.
   *
   * @return allowed, or refused with the reason; a refused status changes nothing
   */
  public Verdict onStatus(
      final Principal who, final String community, final String device, final ByteString payload) {
    final Verdict rights =
        AccessControl.mayReportAs(who, device, memberOf(community, who.identity()));
    if (!rights.isAllowed()) {
      return rights;
    }
    final StatusMessage status;
    try {
      status = StatusMessage.parseFrom(payload);
    } catch (final InvalidProtocolBufferException e) {
      return Verdict.refused(Status.BAD_REQUEST, "malformed StatusMessage: " + e.getMessage());
    }
    if (!status.getDeviceId().isEmpty() && !status.getDeviceId().equals(device)) {
      return Verdict.refused(
          Status.BAD_REQUEST,
          "status names device '" + status.getDeviceId() + "' on the topic of '" + device + "'");
    }
    synchronized (lock) {
      servers.computeIfAbsent(device, d -> new ServerState()).status(status, clock.millis());
    }
    return Verdict.allowed();
  }

  /** A descriptor arrived on {@code {root}/c/{community}/svc/{service}/descriptor/{device}}. */
  public Verdict onDescriptor(
      final Principal who,
      final String community,
      final String service,
      final String device,
      final ByteString payload) {
    final Verdict rights =
        AccessControl.mayReportAs(who, device, memberOf(community, who.identity()));
    if (!rights.isAllowed()) {
      return rights;
    }
    final ServiceDescriptor descriptor;
    try {
      descriptor = ServiceDescriptor.parseFrom(payload);
    } catch (final InvalidProtocolBufferException e) {
      return Verdict.refused(Status.BAD_REQUEST, "malformed ServiceDescriptor: " + e.getMessage());
    }
    synchronized (lock) {
      final Registry.Service s = registry.service(community, service).orElse(null);
      if (s == null) {
        return Verdict.refused(
            Status.NOT_FOUND,
            "no service '" + service + "' in '" + community + "'; register it first");
      }
      if (s.descriptor == null || descriptor.getVersion() > s.descriptor.getVersion()) {
        s.descriptor = descriptor.toBuilder().setService(service).setCommunity(community).build();
        save();
      }
    }
    return Verdict.allowed();
  }

  /** The presence of a device as the router sees it now. */
  public Presence presence(final String device) {
    synchronized (lock) {
      final ServerState s = servers.get(device);
      return s == null ? Presence.UNKNOWN : s.presence(clock.millis(), config.statusTimeout());
    }
  }

  // ---------------------------------------------------------------- the API

  /**
   * Handles a request on {@code {root}/gw/api}. A change is saved before the answer is returned; if
   * it cannot be saved, the change is undone and the answer is 500.
   */
  public ApiResult onApi(final Principal who, final ByteString payload) {
    final GatewayRequest request;
    try {
      request = GatewayRequest.parseFrom(payload);
    } catch (final InvalidProtocolBufferException e) {
      return new ApiResult(
          GatewayResponse.newBuilder()
              .setStatus(400)
              .setReason("malformed GatewayRequest: " + e.getMessage())
              .build(),
          List.of());
    }
    synchronized (lock) {
      final GatewayState before = registry.toState();
      final GatewayApi.Outcome outcome = api.handle(who, request);
      if (!outcome.changed()) {
        return new ApiResult(outcome.response(), List.of());
      }
      try {
        save();
      } catch (final StateStore.StateStoreException e) {
        log.error(
            "could not save the gateway state; change undone [identity: {}, operation: {}]",
            who.identity(),
            request.getOperationCase(),
            e);
        restore(before);
        return new ApiResult(
            GatewayResponse.newBuilder()
                .setStatus(500)
                .setReason("the gateway could not save the change")
                .build(),
            List.of());
      }
      final List<Directive> directives = new ArrayList<>();
      for (final Registry.Service s : outcome.touched()) {
        directives.add(distributionList(s));
      }
      return new ApiResult(outcome.response(), directives);
    }
  }

  // ---------------------------------------------------------------- requests

  /**
   * A consumer's request arrived. Returns a {@link Decision.Forward}, or a {@link Decision.Answer}
   * with a {@code refusal} when it cannot be served: 400 (no response topic, body too large), 403
   * (response topic outside the consumer's namespace), 404 (no such address), 503 (no server
   * available).
   */
  public Decision onRequest(final ConsumerRequest request) {
    final String id = idPrefix + Long.toString(ids.incrementAndGet(), 36);
    final Principal who = request.principal();
    if (request.responseTopic().isEmpty()) {
      return refuse(
          id, request, false, Status.BAD_REQUEST, "a request needs an MQTT 5 response topic");
    }
    if (!topics.isInResponseNamespace(request.responseTopic().get(), who.clientId())) {
      return refuse(
          id,
          request,
          false,
          Status.FORBIDDEN,
          "the response topic must lie in " + topics.responsePrefix(who.clientId()));
    }
    if (request.body().size() > config.maxPayloadBytes()) {
      return refuse(
          id,
          request,
          true,
          Status.BAD_REQUEST,
          "request body of "
              + request.body().size()
              + " bytes exceeds the limit of "
              + config.maxPayloadBytes());
    }
    synchronized (lock) {
      Registry.Service service = registry.byAddress.get(request.address());
      String onlyDevice = null;
      if (service == null) {
        final int dot = request.address().indexOf('.');
        final Registry.Service parent =
            dot < 0 ? null : registry.byAddress.get(request.address().substring(dot + 1));
        final String device = dot < 0 ? null : request.address().substring(0, dot);
        if (parent != null
            && parent.servers.containsKey(device)
            && parent.rule.getAnonymity() == Anonymity.NAMED) {
          service = parent;
          onlyDevice = device;
        }
      }
      if (service == null) {
        return refuse(
            id,
            request,
            true,
            Status.NOT_FOUND,
            "no service at address '" + request.address() + "'");
      }
      final long now = clock.millis();
      final Duration deadline =
          request
              .expiry()
              .filter(d -> !d.isZero() && !d.isNegative())
              .orElse(config.defaultDeadline());
      final PendingRequest p =
          new PendingRequest(id, request, service, onlyDevice, now + deadline.toMillis());
      final Optional<String> first =
          Candidates.next(p, servers, sessions, now, config.statusTimeout());
      if (first.isEmpty()) {
        return refuse(
            id,
            request,
            true,
            Status.UNAVAILABLE,
            "no server available for '" + request.address() + "'");
      }
      pending.put(id, p);
      return forward(p, first.get(), now);
    }
  }

  /**
   * A device answered a forwarded request on its reply topic. A late answer from a server that was
   * already given up on is still taken if the consumer has none yet; any other is dropped.
   */
  public List<Decision> onReply(
      final Principal who,
      final String replyDevice,
      final String requestId,
      final ByteString payload) {
    if (!who.isDevice() || !who.identity().equals(replyDevice)) {
      return List.of();
    }
    final TunnelResponse response;
    try {
      response = TunnelResponse.parseFrom(payload);
    } catch (final InvalidProtocolBufferException e) {
      log.debug("dropped a malformed reply [device: {}, request: {}]", replyDevice, requestId);
      return List.of();
    }
    final String id = requestId.isEmpty() ? response.getRequestId() : requestId;
    synchronized (lock) {
      final PendingRequest p = pending.get(id);
      if (p == null || !p.tried.contains(replyDevice)) {
        return List.of();
      }
      final ServerState state = servers.get(replyDevice);
      if (p.outstanding.remove(replyDevice) && state != null) {
        state.finished();
      }
      if (state != null) {
        state.replied();
      }
      final int code = response.getStatus() == 0 ? 200 : response.getStatus();
      if (code == Status.UNAVAILABLE.code()) {
        p.lastFailure = replyDevice + " answered 503";
        return replyDevice.equals(p.current) ? List.of(advance(p)) : List.of();
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
  }

  /** The timer of a forward fired. Does nothing if that attempt has already concluded. */
  public List<Decision> onForwardTimeout(final String requestId, final int attempt) {
    synchronized (lock) {
      final PendingRequest p = pending.get(requestId);
      if (p == null || p.attempt != attempt) {
        return List.of();
      }
      final ServerState state = servers.get(p.current);
      if (p.outstanding.remove(p.current) && state != null) {
        state.finished();
        state.suspect();
      }
      p.anyTimedOut = true;
      p.lastFailure = p.current + " timed out";
      return List.of(advance(p));
    }
  }

  /** How many requests wait for an answer. */
  public int pendingCount() {
    synchronized (lock) {
      return pending.size();
    }
  }

  // ---------------------------------------------------------------- internals

  private Decision advance(final PendingRequest p) {
    final long now = clock.millis();
    if (now >= p.deadlineMs) {
      return finish(
          p,
          Status.TIMEOUT.code(),
          "the deadline passed: " + p.lastFailure,
          ByteString.EMPTY,
          "",
          Optional.empty(),
          Map.of());
    }
    final Optional<String> next =
        Candidates.next(p, servers, sessions, now, config.statusTimeout());
    if (next.isPresent()) {
      log.debug("failing over [request: {}, from: {}, to: {}]", p.id, p.lastFailure, next.get());
      return forward(p, next.get(), now);
    }
    final Status status = p.anyTimedOut ? Status.TIMEOUT : Status.UNAVAILABLE;
    final String reason =
        p.anyTimedOut
            ? "every eligible server timed out (" + String.join(", ", p.tried) + ")"
            : "no server available: " + p.lastFailure;
    return finish(p, status.code(), reason, ByteString.EMPTY, "", Optional.empty(), Map.of());
  }

  private Decision.Forward forward(final PendingRequest p, final String device, final long now) {
    p.tried.add(device);
    p.outstanding.add(device);
    p.current = device;
    p.attempt++;
    servers.get(device).started();
    final Duration timeout =
        Duration.ofMillis(Math.min(config.forwardTimeout().toMillis(), p.deadlineMs - now));
    return new Decision.Forward(
        p.id,
        device,
        topics.deviceRequests(device),
        topics.gatewayReply(device),
        Tunnel.request(p, now),
        p.attempt,
        timeout);
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
      final ServerState s = servers.get(device);
      if (s != null) {
        s.finished();
      }
    }
    p.outstanding.clear();
    final boolean anonymous =
        p.service.rule.getAnonymity() != Anonymity.NAMED
            && p.service.rule.getAnonymity() != Anonymity.ANONYMITY_UNSPECIFIED;
    return new Decision.Answer(
        p.id,
        p.request.principal().clientId(),
        p.request.responseTopic(),
        p.request.correlationData(),
        code,
        reason,
        body,
        contentType,
        anonymous ? Optional.empty() : server,
        properties,
        Optional.empty());
  }

  private Decision.Answer refuse(
      final String id,
      final ConsumerRequest request,
      final boolean answerable,
      final Status status,
      final String reason) {
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
        Optional.of(status));
  }

  private Directive.PublishServers distributionList(final Registry.Service s) {
    return new Directive.PublishServers(
        topics.servers(s.community.name, s.name),
        Tunnel.distributionList(s, servers, clock.millis(), config.statusTimeout()));
  }

  private boolean memberOf(final String community, final String identity) {
    synchronized (lock) {
      final Registry.Community c = registry.communities.get(community);
      return c != null && c.members.contains(identity);
    }
  }

  /** Whether {@code identity} belongs to {@code community}; for subscription checks. */
  public boolean isMember(final String community, final String identity) {
    return memberOf(community, identity);
  }

  private void save() {
    registry.revision++;
    store.save(registry.toState());
  }

  private void restore(final GatewayState state) {
    final Registry saved = Registry.fromState(state);
    registry.identities.clear();
    registry.identities.putAll(saved.identities);
    registry.communities.clear();
    registry.byAddress.clear();
    for (final Registry.Community c : saved.communities.values()) {
      registry.communities.put(c.name, c);
      c.services.values().forEach(registry::addService);
    }
    registry.revision = saved.revision;
  }

  /** The outcome of {@link #authenticate}. */
  public record Authentication(Optional<Principal> principal, String reason) {
    static Authentication of(final Principal principal) {
      return new Authentication(Optional.of(principal), "");
    }

    static Authentication refused(final String reason) {
      return new Authentication(Optional.empty(), reason);
    }
  }
}
