package io.troupe.extension.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.troupe.coap.UploadRefusal;
import io.troupe.router.ClientIdClaim;
import io.troupe.router.RouterMetrics;
import io.troupe.router.StatusLimits;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * The router's events as Dropwizard metrics in HiveMQ's registry ({@code
 * Services.metricRegistry()}), so that whatever reads HiveMQ's metrics (JMX, the Prometheus
 * extension) reads the gateway's too. Every name starts with {@value #PREFIX}; docs/deploy.md lists
 * them. Counters and timers are lock-free: cheap enough for the router to call under its lock.
 */
public final class GatewayMetrics implements RouterMetrics {

  public static final String PREFIX = "io.troupe.gateway.";

  /** Consumer requests that arrived. */
  public static final String REQUESTS = PREFIX + "requests";

  /** How long choosing the first server of a request took. */
  public static final String DECISION_TIME = PREFIX + "decision.time";

  /** Servers' answers that went to consumers. */
  public static final String ANSWERS = PREFIX + "answers";

  /** Requests the gateway answered itself, all statuses; {@code refusals.{status}} for each. */
  public static final String REFUSALS = PREFIX + "refusals";

  /** Requests that went on to the next server; {@code failovers.{cause}} for each cause. */
  public static final String FAILOVERS = PREFIX + "failovers";

  /**
   * Statuses refused for a list or name past its limit, all of them; {@code
   * statuses.refused.{field}} for each.
   */
  public static final String STATUSES_REFUSED = PREFIX + "statuses.refused";

  /** Devices' descriptors refused; {@code descriptors.refused.{kind}} for each kind. */
  public static final String DESCRIPTORS_REFUSED = PREFIX + "descriptors.refused";

  /** Logins refused their client id; {@code client_ids.refused.{why}} for each reason. */
  public static final String CLIENT_IDS_REFUSED = PREFIX + "client_ids.refused";

  /** Observations the CoAP bridge refused; {@code coap.observe.refusals.{limit}} for each. */
  public static final String OBSERVE_REFUSALS = PREFIX + "coap.observe.refusals";

  /** Retained messages the CoAP bridge encoded for observers (once per version and format). */
  public static final String ENCODINGS = PREFIX + "coap.observe.encodings";

  /**
   * DTLS handshakes refused for a wrong key or an unknown identity, which it does not tell apart.
   */
  public static final String HANDSHAKES_REFUSED = PREFIX + "coap.handshakes.refused";

  /** Logins refused, by {@link LoginRefusal}: {@code logins.refused.backed_off} and the like. */
  public static final String LOGINS_REFUSED = PREFIX + "logins.refused";

  /** Invitations not redeemed and keys not created, by why (R14). */
  public static final String KEYS_REFUSED = PREFIX + "keys.refused";

  /** Passwords checked, by {@link LoginCheck}: {@code logins.checked.slow} and the like. */
  public static final String LOGINS_CHECKED = PREFIX + "logins.checked";

  /**
   * CoAP upload blocks refused and uploads dropped; {@code coap.uploads.refused.{why}} for each.
   */
  public static final String UPLOADS_REFUSED = PREFIX + "coap.uploads.refused";

  /** Requests waiting for an answer now. */
  public static final String PENDING = PREFIX + "pending";

  /**
   * Requests refused on arrival by a bound on requests waiting; {@code pending.refused.{cap}} for
   * each bound.
   */
  public static final String PENDING_REFUSED = PREFIX + "pending.refused";

  /**
   * Requests (and sessions, at CONNECT) refused by an access policy (R12); {@code
   * policy.refused.{quota,bandwidth,connections,ratio}} for each limit.
   */
  public static final String POLICY_REFUSED = PREFIX + "policy.refused";

  /** Sync fetches (R4) sent to a server holding the content. */
  public static final String SYNC_FETCHES = PREFIX + "sync.fetches";

  /** Bytes of content the answers to sync fetches relayed. */
  public static final String SYNC_FETCH_BYTES = PREFIX + "sync.fetch.bytes";

  /** Sync fetches refused; {@code sync.refused.{not_member,no_source,limit}} for each reason. */
  public static final String SYNC_REFUSED = PREFIX + "sync.refused";

  /** Content conflicts the merge of servers' descriptors resolved (R4). */
  public static final String SYNC_CONFLICTS = PREFIX + "sync.conflicts";

  /** Requests whose message expiry was beyond the longest deadline, clamped to it. */
  public static final String DEADLINES_CLAMPED = PREFIX + "deadlines.clamped";

  /** Reads of a community's directory group that failed (R16): unreachable, or no such group. */
  public static final String DIRECTORY_FAILURES = PREFIX + "directory.failures";

  /** Group reads refused for more members than {@code max-group-members} (R16). */
  public static final String GROUPS_TOO_LARGE = PREFIX + "directory.refused.too_many_members";

  /** Group members asked to volunteer for a service no server could answer (R16). */
  public static final String VOLUNTEERS_ASKED = PREFIX + "volunteers.asked";

  /** Requests held for a volunteer and then forwarded to a server that came (R16). */
  public static final String VOLUNTEERS_SERVED = PREFIX + "volunteers.served";

  /**
   * Requests that would have waited for a volunteer, refused (503) by a bound of holding; {@code
   * volunteers.refused.{service,identity}} for each bound.
   */
  public static final String VOLUNTEERS_REFUSED = PREFIX + "volunteers.refused";

  private final MetricRegistry registry;
  private final Counter requests;
  private final Timer decisionTime;
  private final Counter answers;
  private final Counter refusals;
  private final Map<FailoverCause, Counter> failovers;
  private final Counter statusesRefused;
  private final Map<StatusLimits.Field, Counter> statusRefusals;
  private final Map<DescriptorRefusal, Counter> descriptorRefusals;
  private final Map<PendingCap, Counter> pendingRefused;
  private final Map<PolicyLimit, Counter> policyRefused;
  private final Counter deadlinesClamped;
  private final Map<ClientIdClaim, Counter> clientIdRefusals = new EnumMap<>(ClientIdClaim.class);
  private final Map<LoginRefusal, Counter> loginRefusals;
  private final Map<LoginCheck, Counter> loginChecks;
  private final Map<KeyRefusal, Counter> keyRefusals;
  private final Map<UploadRefusal, Counter> uploadRefusals;
  private final Counter syncFetches;
  private final Counter syncFetchBytes;
  private final Map<SyncRefusal, Counter> syncRefusals;
  private final Counter syncConflicts;
  private final Counter volunteersAsked;
  private final Counter volunteersServed;
  private final Map<HoldCap, Counter> holdRefusals;

  private GatewayMetrics(final MetricRegistry registry) {
    this.registry = registry;
    this.requests = registry.counter(REQUESTS);
    // updated on every routed request: a reservoir that takes no lock, same decaying sample
    this.decisionTime =
        registry.timer(
            DECISION_TIME,
            () -> new Timer(LockFreeExponentiallyDecayingReservoir.builder().build()));
    this.answers = registry.counter(ANSWERS);
    this.refusals = registry.counter(REFUSALS + ".total");
    this.failovers = counters(FailoverCause.class, GatewayMetrics::failoverName);
    this.statusesRefused = registry.counter(STATUSES_REFUSED + ".total");
    this.statusRefusals = counters(StatusLimits.Field.class, GatewayMetrics::statusRefusalName);
    this.descriptorRefusals =
        counters(DescriptorRefusal.class, GatewayMetrics::descriptorRefusalName);
    this.pendingRefused = counters(PendingCap.class, GatewayMetrics::pendingRefusedName);
    this.policyRefused = counters(PolicyLimit.class, v -> POLICY_REFUSED + "." + lower(v));
    this.deadlinesClamped = registry.counter(DEADLINES_CLAMPED);
    for (final ClientIdClaim why : ClientIdClaim.values()) {
      if (!why.isAdmitted()) {
        clientIdRefusals.put(why, registry.counter(clientIdRefusalName(why)));
      }
    }
    this.loginRefusals = counters(LoginRefusal.class, v -> LOGINS_REFUSED + "." + lower(v));
    this.keyRefusals = counters(KeyRefusal.class, v -> KEYS_REFUSED + "." + lower(v));
    this.loginChecks = counters(LoginCheck.class, v -> LOGINS_CHECKED + "." + lower(v));
    this.uploadRefusals = counters(UploadRefusal.class, GatewayMetrics::uploadRefusalName);
    this.syncFetches = registry.counter(SYNC_FETCHES);
    this.syncFetchBytes = registry.counter(SYNC_FETCH_BYTES);
    this.syncRefusals = counters(SyncRefusal.class, v -> SYNC_REFUSED + "." + lower(v));
    this.syncConflicts = registry.counter(SYNC_CONFLICTS);
    this.volunteersAsked = registry.counter(VOLUNTEERS_ASKED);
    this.volunteersServed = registry.counter(VOLUNTEERS_SERVED);
    this.holdRefusals = counters(HoldCap.class, v -> VOLUNTEERS_REFUSED + "." + lower(v));
  }

  /** A read of a directory group failed; its community's members stay as they were. */
  public void directoryFailed() {
    registry.counter(DIRECTORY_FAILURES).inc();
  }

  /** A directory group had more members than allowed; its community's members stay. */
  public void groupTooLarge() {
    registry.counter(GROUPS_TOO_LARGE).inc();
  }

  /** A counter for each value of {@code kind}, named by {@code name}. */
  private <E extends Enum<E>> Map<E, Counter> counters(
      final Class<E> kind, final Function<E, String> name) {
    final Map<E, Counter> counters = new EnumMap<>(kind);
    for (final E value : kind.getEnumConstants()) {
      counters.put(value, registry.counter(name.apply(value)));
    }
    return counters;
  }

  private static String lower(final Enum<?> value) {
    return value.name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Registers the gateway's metrics in {@code registry}, replacing any a previous start of the
   * extension left, with the gauge of requests waiting read from {@code pending}.
   */
  public static GatewayMetrics register(final MetricRegistry registry, final IntSupplier pending) {
    unregister(registry);
    final GatewayMetrics metrics = new GatewayMetrics(registry);
    registry.register(PENDING, (Gauge<Integer>) pending::getAsInt);
    return metrics;
  }

  /** Removes every metric of the gateway from {@code registry}: the extension stopped. */
  public static void unregister(final MetricRegistry registry) {
    registry.removeMatching((name, metric) -> name.startsWith(PREFIX));
  }

  /** {@code io.troupe.gateway.failovers.timeout}, {@code .disconnect}, {@code .unavailable}. */
  public static String failoverName(final FailoverCause cause) {
    return FAILOVERS + "." + lower(cause);
  }

  /** {@code io.troupe.gateway.statuses.refused.components}, {@code .required_components}, … */
  public static String statusRefusalName(final StatusLimits.Field field) {
    return STATUSES_REFUSED + "." + field.name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * {@code io.troupe.gateway.descriptors.refused.forged_device}, {@code .installable_not_owner},
   * {@code .item_name}.
   */
  public static String descriptorRefusalName(final DescriptorRefusal kind) {
    return DESCRIPTORS_REFUSED + "." + kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * {@code io.troupe.gateway.pending.refused.identity_requests}, {@code .identity_bytes}, {@code
   * .requests}, {@code .bytes}.
   */
  public static String pendingRefusedName(final PendingCap cap) {
    return PENDING_REFUSED + "." + cap.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code io.troupe.gateway.client_ids.refused.too_long} and the like. */
  public static String clientIdRefusalName(final ClientIdClaim why) {
    return CLIENT_IDS_REFUSED + "." + why.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code io.troupe.gateway.coap.uploads.refused.identity_busy} and the like. */
  public static String uploadRefusalName(final UploadRefusal why) {
    return UPLOADS_REFUSED + "." + why.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code io.troupe.gateway.refusals.503} and the like. */
  public static String refusalName(final int status) {
    return REFUSALS + "." + status;
  }

  @Override
  public void syncFetched() {
    syncFetches.inc();
  }

  @Override
  public void syncFetchBytes(final long bytes) {
    syncFetchBytes.inc(bytes);
  }

  @Override
  public void syncRefused(final SyncRefusal why) {
    syncRefusals.get(why).inc();
  }

  @Override
  public void syncConflict() {
    syncConflicts.inc();
  }

  @Override
  public void requestRouted(final long nanos) {
    requests.inc();
    decisionTime.update(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void refused(final int status) {
    refusals.inc();
    registry.counter(refusalName(status)).inc();
  }

  @Override
  public void answered(final int status) {
    answers.inc();
  }

  /** The CoAP bridge refused an upload's block, or dropped an idle upload, for {@code why}. */
  public void uploadRefused(final UploadRefusal why) {
    uploadRefusals.get(why).inc();
  }

  @Override
  public void coapObserveRefused(final String limit) {
    registry.counter(OBSERVE_REFUSALS + ".total").inc();
    registry.counter(OBSERVE_REFUSALS + "." + limit.toLowerCase(java.util.Locale.ROOT)).inc();
  }

  /** The CoAP bridge refused a DTLS handshake: a wrong key or an unknown identity. */
  public void coapHandshakeRefused() {
    registry.counter(HANDSHAKES_REFUSED).inc();
  }

  @Override
  public void coapRepresentationEncoded() {
    registry.counter(ENCODINGS).inc();
  }

  @Override
  public void failedOver(final FailoverCause cause) {
    failovers.get(cause).inc();
  }

  @Override
  public void statusRefused(final StatusLimits.Field field) {
    statusesRefused.inc();
    statusRefusals.get(field).inc();
  }

  @Override
  public void descriptorRefused(final DescriptorRefusal why) {
    descriptorRefusals.get(why).inc();
  }

  @Override
  public void pendingRefused(final PendingCap cap) {
    pendingRefused.get(cap).inc();
  }

  @Override
  public void policyRefused(final PolicyLimit limit) {
    policyRefused.get(limit).inc();
  }

  @Override
  public void deadlineClamped() {
    deadlinesClamped.inc();
  }

  @Override
  public void clientIdRefused(final ClientIdClaim why) {
    final Counter counter = clientIdRefusals.get(why);
    if (counter != null) {
      counter.inc();
    }
  }

  @Override
  public void loginRefused(final LoginRefusal why) {
    loginRefusals.get(why).inc();
  }

  @Override
  public void loginChecked(final LoginCheck how) {
    loginChecks.get(how).inc();
  }

  @Override
  public void keyRefused(final KeyRefusal why) {
    keyRefusals.get(why).inc();
  }

  @Override
  public void volunteerAsked() {
    volunteersAsked.inc();
  }

  @Override
  public void volunteerServed() {
    volunteersServed.inc();
  }

  @Override
  public void holdRefused(final HoldCap cap) {
    holdRefusals.get(cap).inc();
  }
}
