package io.troupe.router;

import com.google.common.base.Ticker;
import com.google.protobuf.ByteString;
import io.troupe.contract.CoapKeys;
import io.troupe.contract.Invitations;
import io.troupe.contract.TopicKind;
import io.troupe.proto.v1.GatewayState;
import io.troupe.proto.v1.UsageRecord;
import io.troupe.router.internal.api.ApiChanges;
import io.troupe.router.internal.devices.Presence;
import io.troupe.router.internal.locks.RouterLocks;
import io.troupe.router.internal.login.PasswordHasher;
import io.troupe.router.internal.login.Passwords;
import io.troupe.router.internal.policy.AccessPolicies;
import io.troupe.router.internal.presence.DevicePresence;
import io.troupe.router.internal.presence.SessionPolicy;
import io.troupe.router.internal.presence.SyncRounds;
import io.troupe.router.internal.registry.ClientIds;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.RegistryReads;
import io.troupe.router.internal.requests.RequestEvents;
import io.troupe.router.internal.requests.RequestRouter;
import io.troupe.router.internal.routing.Explanation;
import io.troupe.router.internal.status.DeviceReports;
import io.troupe.router.internal.status.Reports;
import io.troupe.router.internal.trust.InvitationCheck;
import io.troupe.router.internal.wiring.RouterParts;
import java.time.Clock;
import java.util.List;
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
 *
 * <p>This class is the facade; the decisions are made by {@link DevicePresence}, {@link
 * DeviceReports}, {@link ApiChanges} and {@link RequestEvents}, which share its state and locks;
 * {@link RouterParts} builds them and chooses the stores behind the router's interfaces.
 */
public final class GatewayRouter {

  private static final Logger log = LoggerFactory.getLogger(GatewayRouter.class);

  private final RouterConfig config;
  private final RegistryReads reads;

  /** The routing lock and the change lock, taken in their order: see {@link RouterLocks}. */
  private final RouterLocks locks = new RouterLocks();

  private final DevicePresence presence;
  private final DeviceReports deviceReports;
  private final Reports reports;
  private final ApiChanges apiChanges;
  private final RequestRouter requests;
  private final RequestEvents requestEvents;
  private final SessionPolicy sessionPolicy;
  private final AccessPolicies policies;
  private final SyncRounds syncRounds;
  private final Clock clock;
  private volatile RouterMetrics metrics = RouterMetrics.NONE;
  private final Optional<Invitations> invitations;

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
    this(config, logins, clock, store, coapKeys, Optional.empty());
  }

  /**
   * As above; keys and invitations (R14) are signed under {@code invitations}' secret (without it,
   * CreateKey and RedeemInvitation answer 501 and no invitation admits a login).
   */
  public GatewayRouter(
      final RouterConfig config,
      final LoginConfig logins,
      final Clock clock,
      final StateStore store,
      final Optional<CoapKeys> coapKeys,
      final Optional<Invitations> invitations) {
    this(config, logins, clock, store, coapKeys, invitations, new java.util.SplittableRandom());
  }

  /** As above, without CoAP keys, drawing WEIGHTED choices from {@code random}: seeded in tests. */
  public GatewayRouter(
      final RouterConfig config,
      final LoginConfig logins,
      final Clock clock,
      final StateStore store,
      final java.util.random.RandomGenerator random) {
    this(config, logins, clock, store, Optional.empty(), Optional.empty(), random);
  }

  private GatewayRouter(
      final RouterConfig config,
      final LoginConfig logins,
      final Clock clock,
      final StateStore store,
      final Optional<CoapKeys> coapKeys,
      final Optional<Invitations> invitations,
      final java.util.random.RandomGenerator random) {
    this.config = Objects.requireNonNull(config, "config");
    this.invitations = Objects.requireNonNull(invitations, "invitations");
    this.clock = clock;
    final RouterParts parts =
        RouterParts.assemble(
            config,
            Passwords.pbkdf2(logins.hashIterations()),
            Objects.requireNonNull(clock, "clock"),
            Objects.requireNonNull(store, "store"),
            Objects.requireNonNull(coapKeys, "coapKeys"),
            invitations,
            random,
            locks);
    this.reads = parts.reads();
    this.presence = parts.presence();
    this.deviceReports = parts.deviceReports();
    this.reports = parts.reports();
    this.apiChanges = parts.apiChanges();
    this.requests = parts.requests();
    this.requestEvents = parts.requestEvents();
    this.sessionPolicy = parts.sessionPolicy();
    this.policies = parts.policies();
    this.syncRounds = parts.syncRounds();
    final int dropped = inRegistry(r -> r.clientIds().dropUnusable(), n -> n > 0);
    if (dropped > 0) {
      log.info("dropped stored client-id bindings no login can use any more [count: {}]", dropped);
    }
  }

  /**
   * Tells {@code metrics} what becomes of every request, and which descriptors are refused, from
   * now on; the time of each decision is read from {@code ticker}, for the metrics only (routing
   * never reads it).
   */
  public void reportTo(final RouterMetrics metrics, final Ticker ticker) {
    requestEvents.reportTo(metrics, ticker);
    reports.reportTo(metrics);
    deviceReports.reportTo(metrics);
    apiChanges.reportTo(metrics);
    this.metrics = Objects.requireNonNull(metrics, "metrics");
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
    return reads.hasAdmin();
  }

  /**
   * Creates an admin identity with {@code password} and saves it: the gateway's bootstrap, done
   * once when no admin exists.
   *
   * @throws IllegalArgumentException if the name is not a valid identity name or exists
   */
  public void addAdmin(final String name, final String password) {
    apiChanges.addAdmin(name, password);
  }

  /** Runs {@code action} on the registry and writes what it changed: see {@link ApiChanges}. */
  <T> T inRegistry(final Function<Registry, T> action, final Predicate<T> changed) {
    return apiChanges.inRegistry(action, changed);
  }

  /**
   * Whether {@code urlOrToken} is an invitation that may be redeemed now (R14): what admits an
   * invitee's session. Never true without a signing secret.
   */
  boolean acceptsInvitation(final String urlOrToken) {
    if (invitations.isEmpty()) {
      return false;
    }
    final long now = clock.millis();
    return inRegistry(
        r ->
            InvitationCheck.check(invitations.get(), r.keys(), urlOrToken, now)
                instanceof InvitationCheck.Valid,
        x -> false);
  }

  /**
   * Binds {@code clientId} to {@code identity}, whose credentials a login has just verified, if the
   * rule and the limits of {@link ClientIds} allow it; a new binding is saved. A refusal changes
   * nothing and is reported to the metrics.
   */
  ClientIdClaim claimClientId(final String clientId, final String identity, final long nowMs) {
    final ClientIdClaim claim =
        inRegistry(
            r -> r.clientIds().claim(clientId, identity, nowMs), c -> c == ClientIdClaim.BOUND);
    if (!claim.isAdmitted()) {
      metrics.clientIdRefused(claim);
    }
    return claim;
  }

  /**
   * Why a new session of {@code identity} as {@code clientId} is refused by the access policies'
   * bound on sessions (R12); empty when it may connect. See {@link SessionPolicy}.
   */
  Optional<String> sessionRefusal(final String identity, final String clientId) {
    return sessionPolicy.refusal(identity, clientId);
  }

  // ---------------------------------------------------------------- usage counters

  /**
   * The access policies' usage counters that changed since the last call, to be saved with {@link
   * StateStore#saveUsage} outside the router's lock. The gateway calls this about once a second, so
   * a crash loses at most about a second of usage.
   */
  public List<UsageRecord> changedUsage() {
    return locks.routing(() -> policies.changed(clock.millis()));
  }

  /** {@code records} from {@link #changedUsage} could not be saved: they come out again. */
  public void usageNotSaved(final List<UsageRecord> records) {
    locks.routing(() -> policies.unsaved(records));
  }

  // ---------------------------------------------------------------- presence

  /** A client's session started; {@code connectionId} tells its connections apart. */
  public void onConnected(final Principal who, final long connectionId) {
    presence.onConnected(who, connectionId);
  }

  /**
   * A client's session ended. For a device, its requests in flight go to the next server and its
   * departure is announced: see {@link DevicePresence#onDisconnected}.
   */
  public Departure onDisconnected(final Principal who, final long connectionId) {
    return presence.onDisconnected(who, connectionId);
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
    return deviceReports.report(who, Names.normalize(community), device, payload);
  }

  /**
   * Whether a Will a client set at CONNECT may stand: a Will gets exactly the checks of a live
   * publish on its topic (see {@link DeviceReports#checkWill}).
   */
  public Verdict checkWill(final Principal who, final TopicKind kind, final ByteString payload) {
    return deviceReports.checkWill(who, kind, payload);
  }

  /**
   * The clock moved on: the distribution lists of devices whose availability changed without an
   * event, and the pings to send (see {@link DevicePresence#onTick}). The gateway calls this every
   * second or so.
   */
  public List<Directive> onTick() {
    final List<Directive> due = presence.onTick();
    final List<Directive> sync = syncRounds.due();
    if (sync.isEmpty()) {
      return due;
    }
    final List<Directive> all = new java.util.ArrayList<>(due);
    all.addAll(sync);
    return all;
  }

  /**
   * Keeps the servers of synchronised services in step under {@code limits} from now on (R4): how
   * often the servers behind are told again, and how many sync fetches a service may have in
   * flight. {@link SyncLimits#defaults()} until called.
   */
  public void configureSync(final SyncLimits limits) {
    syncRounds.configure(limits);
  }

  /** The distribution lists of every service {@code device} serves, as they are now. */
  public List<Directive> serverLists(final String device) {
    return presence.serverLists(device);
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
    return deviceReports.describe(
        who, Names.normalize(community), Names.normalize(service), device, payload);
  }

  /** The presence of a device as the router sees it now. */
  public Presence presence(final String device) {
    return presence.presence(device);
  }

  // ---------------------------------------------------------------- the API

  /**
   * Handles a request on {@code {root}/gw/api}. A change is durable before the answer is returned;
   * if it cannot be saved, the change is undone and the answer is 500 (see {@link ApiChanges}).
   */
  public ApiResult onApi(final Principal who, final ByteString payload) {
    return apiChanges.onApi(who, payload);
  }

  // ---------------------------------------------------------------- directory groups (R16)

  /**
   * A directory of groups is configured: communities may follow its groups ({@code
   * CreateCommunity.group}, {@code SetCommunityGroup}), and a group of more than {@code
   * maxGroupMembers} members is refused at its refresh. Without this call both operations answer
   * 400. The gateway calls it once, at start, from its configuration.
   *
   * @throws IllegalArgumentException if {@code maxGroupMembers} is not positive
   */
  public void useDirectory(final int maxGroupMembers) {
    apiChanges.useDirectory(maxGroupMembers);
  }

  /** The communities that follow a directory group, for the gateway's poller to refresh. */
  public List<GroupRefresh.Grouped> groupedCommunities() {
    return apiChanges.grouped();
  }

  /**
   * Applies one read of {@code group} to {@code community}: its members that have an identity here
   * may join; those that left the group leave {@code allowed} and {@code members} and stop serving
   * the community's services; identities allowed by hand stay. A failed read, or a group larger
   * than allowed, changes nothing but the community's {@code group_status}; a community that is
   * gone or follows another group by now is left alone ({@link GroupRefresh.Outcome#STALE}). A
   * change is saved before this returns, as an API change is. Blocks while a change is written:
   * call it from the gateway's executor, never from a broker callback.
   */
  public GroupRefresh.Result refreshGroup(
      final String community, final String group, final GroupRefresh read) {
    return apiChanges.refreshGroup(
        Names.normalize(community), Objects.requireNonNull(group, "group"), read);
  }

  // ---------------------------------------------------------------- requests

  /**
   * A consumer's request arrived: a {@link Decision.Forward}, or a {@link Decision.Answer} with a
   * {@code refusal} when it cannot be served (see {@link RequestRouter#onRequest}).
   */
  public Decision onRequest(final ConsumerRequest request) {
    // RequestRouter admits the request and has ServerChoice choose its server, under the routing
    // lock; RequestEvents times and counts the decision for the metrics
    return requestEvents.request(() -> requests.onRequest(request));
  }

  /**
   * A device answered a forwarded request on its reply topic: see {@link RequestEvents#onReply}.
   */
  public List<Decision> onReply(
      final Principal who,
      final String replyDevice,
      final String requestId,
      final ByteString payload) {
    return requestEvents.onReply(who, replyDevice, requestId, payload);
  }

  /**
   * Whether {@code who} may publish on the reply topic of {@code replyDevice}: only that device's
   * own session may.
   */
  public Verdict mayReply(final Principal who, final String replyDevice) {
    return RequestEvents.mayReply(who, replyDevice);
  }

  /** The timer of a forward fired. Does nothing if that attempt has already concluded. */
  public List<Decision> onForwardTimeout(final String requestId, final int attempt) {
    return requestEvents.onForwardTimeout(requestId, attempt);
  }

  /**
   * The last routing decisions for {@code address}: which rule chose each server, and which were
   * skipped and why (see {@link RequestEvents#lastDecisions}).
   */
  public List<Explanation> lastDecisions(final String address) {
    return requestEvents.lastDecisions(Names.normalize(address));
  }

  /** How many requests wait for an answer. */
  public int pendingCount() {
    return requestEvents.pendingCount();
  }

  /** The registry as a whole state, as the store should hold it; for tests. */
  public GatewayState snapshot() {
    return reads.snapshot();
  }

  /** Whether {@code identity} belongs to {@code community}; for subscription checks. */
  /**
   * The key generation of {@code identity} ({@code CoapKeys.keyOf(identity, generation)} is its
   * key), empty when there is no such identity. Takes no lock: a DTLS handshake asks it.
   */
  public java.util.OptionalInt keyGeneration(final String identity) {
    return reads.keyGeneration(identity);
  }

  public boolean isMember(final String community, final String identity) {
    return reads.isMember(Names.normalize(community), identity);
  }

  /**
   * Whether {@code identity} may learn which devices are in {@code community}: its owner may, a
   * member only where no service there hides a server from members (R15).
   */
  public boolean seesDevices(final String community, final String identity) {
    return reads.seesDevices(Names.normalize(community), identity);
  }

  /** Membership and what members may learn, as {@link AccessControl} asks for them. */
  public AccessControl.Members members() {
    return reads;
  }
}
