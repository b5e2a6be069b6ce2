package io.troupe.extension.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.troupe.coap.UploadRefusal;
import io.troupe.router.RouterMetrics;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
   * CoAP upload blocks refused and uploads dropped; {@code coap.uploads.refused.{why}} for each.
   */
  public static final String UPLOADS_REFUSED = PREFIX + "coap.uploads.refused";

  /** Requests waiting for an answer now. */
  public static final String PENDING = PREFIX + "pending";

  private final MetricRegistry registry;
  private final Counter requests;
  private final Timer decisionTime;
  private final Counter answers;
  private final Counter refusals;
  private final Map<FailoverCause, Counter> failovers = new EnumMap<>(FailoverCause.class);
  private final Map<UploadRefusal, Counter> uploadRefusals = new EnumMap<>(UploadRefusal.class);

  private GatewayMetrics(final MetricRegistry registry) {
    this.registry = registry;
    this.requests = registry.counter(REQUESTS);
    this.decisionTime = registry.timer(DECISION_TIME);
    this.answers = registry.counter(ANSWERS);
    this.refusals = registry.counter(REFUSALS + ".total");
    for (final FailoverCause cause : FailoverCause.values()) {
      failovers.put(cause, registry.counter(failoverName(cause)));
    }
    for (final UploadRefusal why : UploadRefusal.values()) {
      uploadRefusals.put(why, registry.counter(uploadRefusalName(why)));
    }
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
    return FAILOVERS + "." + cause.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code io.troupe.gateway.coap.uploads.refused.identity-busy} and the like. */
  public static String uploadRefusalName(final UploadRefusal why) {
    return UPLOADS_REFUSED + "." + why.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** {@code io.troupe.gateway.refusals.503} and the like. */
  public static String refusalName(final int status) {
    return REFUSALS + "." + status;
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
  public void failedOver(final FailoverCause cause) {
    failovers.get(cause).inc();
  }
}
