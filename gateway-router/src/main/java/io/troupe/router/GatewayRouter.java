package io.troupe.router;

import com.google.common.base.Ticker;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.troupe.contract.CoapKeys;
import io.troupe.contract.Names;
import io.troupe.contract.TopicKind;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.GatewayState;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.TunnelResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
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
  private final RequestRouter requests;

  /** Guards the registry, presence and requests in flight: every routing decision. */
  private final Object lock = new Object();

  /**
   * Serialises changes to the registry and their writes to the store. Taken before {@link #lock}
   * and held while writing, so writes come in the order of the changes, and routing (which takes
   * only {@code lock}) never waits for the disk.
   */
  private final Object changes = new Object();

  /** Writes what changes to the store; used holding {@link #changes}. */
  private final StateWriter writer;

  private final Passwords passwords;

  private final Connections connections = new Connections();
  private final Reports reports;
  private final Announcements announce;
  private final RoutingTally tally = new RoutingTally();
  private final ObservationOps observation;
  private volatile Ticker ticker = Ticker.systemTicker();

  /**
   * Loads the saved state from {@code store}.
   *
   * @throws StateStore.StateStoreException when the store cannot be read
   */
  public GatewayRouter(final RouterConfig config, final Clock clock, final StateStore store) {
    this(config, LoginConfig.defaults(), clock, store);
  }

  /** As above; new identities' passwords are hashed at {@code logins}' cost. */
  public GatewayRouter(
      final RouterConfig config,
      final LoginConfig logins,
      final Clock clock,
      final StateStore store) {
    this(config, logins, clock, store, Optional.empty());
  }

  /**
   * As above; the API issues identities' CoAP keys derived from {@code coapKeys} (without them, it
   * answers that the CoAP bridge is disabled).
   */
  public GatewayRouter(
      final RouterConfig config,
      final LoginConfig logins,
      final Clock clock,
      final StateStore store,
      final Optional<CoapKeys> coapKeys) {
    this(config, logins, clock, store, coapKeys, new java.util.SplittableRandom());
  }

  /** As above, without CoAP keys, drawing WEIGHTED choices from {@code random}: seeded in tests. */
  GatewayRouter(
      final RouterConfig config,
      final LoginConfig logins,
      final Clock clock,
      final StateStore store,
      final java.util.random.RandomGenerator random) {
    this(config, logins, clock, store, Optional.empty(), random);
  }

  private GatewayRouter(
      final RouterConfig config,
      final LoginConfig logins,
      final Clock clock,
      final StateStore store,
      final Optional<CoapKeys> coapKeys,
      final java.util.random.RandomGenerator random) {
    this.passwords = Passwords.pbkdf2(logins.hashIterations());
    this.config = Objects.requireNonNull(config, "config");
    this.topics = config.topics();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.store = Objects.requireNonNull(store, "store");
    this.registry = store.load().map(Registry::fromState).orElseGet(Registry::new);
    this.writer = new StateWriter(registry, store, lock);
    this.api =
        new GatewayApi(
            registry,
            config,
            connections,
            clock::millis,
            passwords,
            Objects.requireNonNull(coapKeys, "coapKeys"));
    this.announce = new Announcements(registry, servers, config, clock);
    this.reports = new Reports(config.maxPayloadBytes(), this::memberOf);
    this.requests = new RequestRouter(config, clock, registry, servers, random);
    this.observation = new ObservationOps(registry, servers, tally, config);
  }

  /**
   * Tells {@code metrics} what becomes of every request from now on; the time of each decision is
   * read from {@code ticker}, for the metrics only (routing never reads it).
   */
  public void reportTo(final RouterMetrics metrics, final Ticker ticker) {
    synchronized (lock) {
      tally.reportTo(metrics);
      this.ticker = Objects.requireNonNull(ticker, "ticker");
    }
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
    final IdentityRecord record = passwords.record(name, IdentityRole.ADMIN, password);
    synchronized (changes) {
      synchronized (lock) {
        if (registry.identities.containsKey(name)) {
          throw new IllegalArgumentException("identity '" + name + "' exists");
        }
        registry.identities.put(name, record);
      }
      if (!writer.persist(SavedState.Scope.NO_COMMUNITY)) {
        throw new StateStore.StateStoreException("could not save the admin identity", null);
      }
    }
  }

  /**
   * Runs {@code action} on the registry under the lock and, if {@code changed} holds for its
   * result, writes the change like any other: how {@link Logins} reads identities and binds client
   * ids. A change that cannot be written is undone and logged.
   */
  <T> T inRegistry(final Function<Registry, T> action, final Predicate<T> changed) {
    synchronized (changes) {
      final T result;
      synchronized (lock) {
        result = action.apply(registry);
      }
      if (changed.test(result) && !writer.persist(SavedState.Scope.NO_COMMUNITY)) {
        log.warn("could not save a login's change; it is undone");
      }
      return result;
    }
  }

  // ---------------------------------------------------------------- presence

  /** A client's session started; {@code connectionId} tells its connections apart. */
  public void onConnected(final Principal who, final long connectionId) {
    synchronized (lock) {
      connections.connected(who, connectionId);
      if (who.isDevice()) {
        servers.computeIfAbsent(who.identity(), this::serverState).connected(connectionId);
        requests.connected(who.identity());
      }
    }
  }

  /**
   * A client's session ended. For a device, every request in flight to it goes to the next server
   * at once, the gateway says it is offline on its status topic in every community it belongs to,
   * and the distribution lists of what it serves are republished.
   */
  public Departure onDisconnected(final Principal who, final long connectionId) {
    synchronized (lock) {
      connections.disconnected(who, connectionId);
      if (!who.isDevice()) {
        return Departure.NONE;
      }
      final ServerState state = servers.get(who.identity());
      if (state == null || !state.disconnected(connectionId)) {
        return Departure.NONE;
      }
      final List<Decision> decisions = requests.failOver(who.identity(), state);
      tally.departed(who.identity(), decisions);
      final List<Directive> directives = new ArrayList<>(announce.changed(who.identity()));
      directives.addAll(announce.offline(who.identity()));
      return new Departure(decisions, directives);
    }
  }

  /**
   * What a departure set off.
   *
   * @param decisions requests re-routed away from the departed device
   * @param directives offline statuses and distribution lists to publish
   */
  public record Departure(List<Decision> decisions, List<Directive> directives) {
    static final Departure NONE = new Departure(List.of(), List.of());

    public Departure {
      decisions = List.copyOf(decisions);
      directives = List.copyOf(directives);
    }
  }

  /**
   * A status message arrived on {@code {root}/c/{community}/status/{device}}.
   *
   * @return allowed, or refused with the reason; a refused status changes nothing
   */
  public Verdict onStatus(
      final Principal who, final String community, final String device, final ByteString payload) {
    return report(who, community, device, payload).verdict();
  }

  /**
   * {@link #onStatus}, and the distribution lists to republish when the status changed the device's
   * availability.
   */
  public StatusReport report(
      final Principal who, final String community, final String device, final ByteString payload) {
    final Reports.Checked<StatusMessage> checked = reports.status(who, community, device, payload);
    if (!checked.verdict().isAllowed()) {
      return new StatusReport(checked.verdict(), List.of());
    }
    synchronized (lock) {
      final long now = clock.millis();
      final ServerState state = servers.computeIfAbsent(device, this::serverState);
      final Availability before = state.availability(now, config.statusTimeout());
      state.status(checked.message(), now);
      final boolean changed = before != state.availability(now, config.statusTimeout());
      return new StatusReport(Verdict.allowed(), changed ? announce.changed(device) : List.of());
    }
  }

  /**
   * Whether a Will a client set at CONNECT may stand: a Will gets exactly the checks of a live
   * publish on its topic. Status and descriptor Wills must pass {@link #report}'s and {@link
   * #onDescriptor}'s checks (without their effects); any other topic is checked as a live publish
   * elsewhere would be by the interceptor and {@link AccessControl}.
   */
  public Verdict checkWill(final Principal who, final TopicKind kind, final ByteString payload) {
    if (kind instanceof TopicKind.Status s) {
      return reports.status(who, s.community(), s.device(), payload).verdict();
    }
    if (kind instanceof TopicKind.Descriptor d) {
      final Verdict verdict = reports.descriptor(who, d.community(), d.device(), payload).verdict();
      if (!verdict.isAllowed()) {
        return verdict;
      }
      synchronized (lock) {
        return Reports.describes(
            registry.service(d.community(), d.service()), d.community(), d.service(), d.device());
      }
    }
    return Verdict.refused(
        Status.FORBIDDEN,
        "a Will may only carry the device's own status or descriptor, not '" + kind + "'");
  }

  /**
   * The clock moved on: the distribution lists of every device whose availability changed without
   * an event, such as a status that timed out silently, and the pings to send to idle or suspected
   * servers (a ping unanswered in time marks its server suspected). The gateway calls this every
   * second or so.
   */
  public List<Directive> onTick() {
    synchronized (lock) {
      final long now = clock.millis();
      final List<Directive> lists = new ArrayList<>();
      servers.forEach(
          (device, state) -> {
            if (state.availabilityChanged(now, config.statusTimeout())) {
              lists.addAll(announce.changed(device));
            }
          });
      lists.addAll(announce.due());
      lists.addAll(requests.probes());
      return lists;
    }
  }

  /** The distribution lists of every service {@code device} serves, as they are now. */
  public List<Directive> serverLists(final String device) {
    synchronized (lock) {
      return announce.listsOf(device);
    }
  }

  /** What a status changed: the verdict, and the distribution lists to republish. */
  public record StatusReport(Verdict verdict, List<Directive> directives) {
    public StatusReport {
      directives = List.copyOf(directives);
    }
  }

  /** A descriptor arrived on {@code {root}/c/{community}/svc/{service}/descriptor/{device}}. */
  public Verdict onDescriptor(
      final Principal who,
      final String community,
      final String service,
      final String device,
      final ByteString payload) {
    return describe(who, community, service, device, payload).verdict();
  }

  /**
   * {@link #onDescriptor}, and the sync directives to send: a descriptor newer than the one the
   * gateway had tells every other server of the service to reach it (R4, R17).
   */
  public DescriptorReport describe(
      final Principal who,
      final String community,
      final String service,
      final String device,
      final ByteString payload) {
    final Reports.Checked<ServiceDescriptor> checked =
        reports.descriptor(who, community, device, payload);
    if (!checked.verdict().isAllowed()) {
      return new DescriptorReport(checked.verdict(), List.of());
    }
    final ServiceDescriptor descriptor = checked.message();
    final List<Directive> sync;
    synchronized (changes) {
      synchronized (lock) {
        final Optional<Registry.Service> found = registry.service(community, service);
        final Verdict describes = Reports.describes(found, community, service, device);
        if (!describes.isAllowed()) {
          return new DescriptorReport(describes, List.of());
        }
        final Registry.Service s = found.get();
        if (s.descriptor != null && descriptor.getVersion() <= s.descriptor.getVersion()) {
          return new DescriptorReport(Verdict.allowed(), List.of());
        }
        final boolean changed = s.descriptor != null;
        s.descriptor = descriptor.toBuilder().setService(service).setCommunity(community).build();
        sync = changed ? Synchronisation.toReach(topics, s, device, clock.millis()) : List.of();
      }
      if (!writer.persist(SavedState.Scope.community(community))) {
        return new DescriptorReport(
            Verdict.refused(Status.INTERNAL_ERROR, "the gateway could not save the descriptor"),
            List.of());
      }
    }
    return new DescriptorReport(Verdict.allowed(), sync);
  }

  /** What a descriptor changed: the verdict, and the sync directives to send. */
  public record DescriptorReport(Verdict verdict, List<Directive> directives) {
    public DescriptorReport {
      directives = List.copyOf(directives);
    }
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
   * Handles a request on {@code {root}/gw/api}. A change is durable before the answer is returned;
   * if it cannot be saved, the change is undone and the answer is 500. Changes are applied one at a
   * time; routing goes on while one is written. {@code ShowTable} and {@code ExplainDecisions} only
   * read, and never wait for a write ({@link ObservationOps}).
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
    if (request.hasShowTable() || request.hasExplainDecisions()) {
      return new ApiResult(observe(who, request), List.of());
    }
    final Optional<IdentityOps.Prepared> prepared = api.prepare(who, request);
    synchronized (changes) {
      final GatewayApi.Outcome outcome;
      final SavedState.Scope scope;
      synchronized (lock) {
        outcome = api.handle(who, request, prepared);
        scope = StateWriter.scopeOf(request, registry);
        if (outcome.changed()) {
          registrationsChanged(scope);
        }
      }
      if (!outcome.changed()) {
        return new ApiResult(outcome.response(), outcome.effects());
      }
      final Map<Registry.Service, Optional<String>> wasPrimary = new HashMap<>();
      for (final Registry.Service s : outcome.touched()) {
        wasPrimary.put(s, writer.primaryOf(s.community.name, s.name));
      }
      if (!writer.persist(scope)) {
        log.error(
            "change undone [identity: {}, operation: {}]",
            who.identity(),
            request.getOperationCase());
        return new ApiResult(
            GatewayResponse.newBuilder()
                .setStatus(500)
                .setReason("the gateway could not save the change")
                .build(),
            List.of());
      }
      final List<Directive> directives = new ArrayList<>(outcome.effects());
      synchronized (lock) {
        for (final Registry.Service s : outcome.touched()) {
          if (registry.byAddress.get(s.address) == s) {
            directives.add(announce.list(s));
            announce.promotion(wasPrimary.get(s), s).ifPresent(directives::add);
          }
        }
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
    synchronized (lock) {
      final long started = ticker.read();
      final Decision decision = requests.onRequest(request);
      tally.request(decision, ticker.read() - started);
      return decision;
    }
  }

  /**
   * A device answered a forwarded request on its reply topic. A late answer from a server that was
   * already given up on is still taken if the consumer has none yet; any other is dropped, as is a
   * reply from anyone but the device the reply topic names.
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
      final List<Decision> decisions = requests.onReply(replyDevice, id, response);
      tally.replied(replyDevice, response.getStatus() == 0 ? 200 : response.getStatus(), decisions);
      return decisions;
    }
  }

  /**
   * Whether {@code who} may publish on the reply topic of {@code replyDevice}: only that device's
   * own session may.
   */
  public Verdict mayReply(final Principal who, final String replyDevice) {
    if (who.isDevice() && who.identity().equals(replyDevice)) {
      return Verdict.allowed();
    }
    return Verdict.refused(
        Status.FORBIDDEN,
        "'" + who.clientId() + "' may not answer on the reply topic of '" + replyDevice + "'");
  }

  /** The timer of a forward fired. Does nothing if that attempt has already concluded. */
  public List<Decision> onForwardTimeout(final String requestId, final int attempt) {
    synchronized (lock) {
      final List<Decision> decisions = requests.onForwardTimeout(requestId, attempt);
      tally.timedOut(requestId, decisions);
      return decisions;
    }
  }

  /**
   * The last routing decisions for {@code address} (at most 16, oldest first): which rule chose
   * each server, and which servers were skipped and why. Empty for an address with no recent
   * request; the least recently routed addresses are forgotten first.
   */
  public List<Explanation> lastDecisions(final String address) {
    synchronized (lock) {
      return requests.lastDecisions(address);
    }
  }

  /** The answer to {@code ShowTable} or {@code ExplainDecisions}: see {@link ObservationOps}. */
  private GatewayResponse observe(final Principal who, final GatewayRequest request) {
    synchronized (lock) {
      return request.hasShowTable()
          ? observation.table(who, request.getShowTable(), clock.millis())
          : observation.decisions(
              who,
              request.getExplainDecisions().getAddress(),
              requests.lastDecisions(request.getExplainDecisions().getAddress()));
    }
  }

  /** How many requests wait for an answer. */
  public int pendingCount() {
    synchronized (lock) {
      return requests.pendingCount();
    }
  }

  /** The registry as a whole state, as the store should hold it; for tests. */
  GatewayState snapshot() {
    synchronized (lock) {
      return registry.toState();
    }
  }

  /** A server's state, which moves it in the rankings of the services it serves as it changes. */
  private ServerState serverState(final String device) {
    return new ServerState(
        () ->
            Candidates.moved(
                registry, device, servers.get(device), clock.millis(), config.statusTimeout()));
  }

  /**
   * Registrations in {@code scope} may have changed (servers, roles, enabled flags, rules): the
   * rankings of its communities' services are built again at their next use.
   */
  private void registrationsChanged(final SavedState.Scope scope) {
    for (final Registry.Community c : registry.communities.values()) {
      if (scope.all() || scope.communities().contains(c.name)) {
        c.epoch++;
      }
    }
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
}
