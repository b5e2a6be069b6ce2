package io.troupe.router.internal.routing;

import io.troupe.router.Decision;
import io.troupe.router.GatewayRouter;
import io.troupe.router.RouterMetrics;
import io.troupe.router.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns from the decisions the router returns what became of each request: it tells {@link
 * RouterMetrics}, and counts per server of each service the requests it served and failed, for the
 * load-balancing table: a device serving two services has a count in each. It reads decisions, and
 * is told of the bounds a request met on arrival, which no decision shows. Not thread-safe: {@link
 * GatewayRouter} calls it under its lock.
 */
public final class RoutingTally {

  private static final Logger log = LoggerFactory.getLogger(RoutingTally.class);

  /**
   * More requests in flight than any gateway holds: past it, the oldest ids are forgotten rather
   * than kept for a request that ended on a path the tally did not see.
   */
  private static final int MAX_TRACKED = 200_000;

  private RouterMetrics metrics = RouterMetrics.NONE;

  /** One server of one service: what the table counts for. */
  private record ServerOf(String community, String service, String device) {}

  /** The server (and its service) each request in flight was last forwarded to. */
  private final Map<String, ServerOf> current =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, ServerOf> eldest) {
          return size() > MAX_TRACKED;
        }
      };

  /**
   * More servers than any gateway holds at once: a server's counts are never removed with its
   * service, so a device that registers and deletes services under new names would otherwise grow
   * this map for everyone. Past it, the server counted least recently loses its counts (its table
   * row shows 0 served and failed again), never a busy one.
   */
  private static final int MAX_COUNTED_SERVERS = 100_000;

  private final Map<ServerOf, long[]> counts =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<ServerOf, long[]> eldest) {
          return size() > MAX_COUNTED_SERVERS;
        }
      };

  public void reportTo(final RouterMetrics metrics) {
    this.metrics = java.util.Objects.requireNonNull(metrics, "metrics");
  }

  /** A sync fetch was admitted and sent to its first source (R4). */
  public void syncFetched() {
    report(metrics::syncFetched);
  }

  /** A source's answer to a sync fetch relayed {@code bytes} bytes of content. */
  public void syncFetchBytes(final long bytes) {
    report(() -> metrics.syncFetchBytes(bytes));
  }

  /** A sync fetch was refused for {@code why}. */
  public void syncRefused(final RouterMetrics.SyncRefusal why) {
    report(() -> metrics.syncRefused(why));
  }

  /** A request arrived and {@code decision} was taken for it in {@code nanos}. */
  public void request(final Decision decision, final long nanos) {
    report(() -> metrics.requestRouted(nanos));
    gatewayDecided(decision, null);
  }

  /**
   * {@code device} replied with {@code code}, and the router returned {@code decisions}: its
   * answer, the gateway's instead of an unusable one, or a failover on 503. Nothing when the reply
   * was dropped.
   */
  public void replied(final String device, final int code, final List<Decision> decisions) {
    for (final Decision d : decisions) {
      if (d instanceof Decision.Answer a && a.code() == code && code != Status.UNAVAILABLE.code()) {
        count(current.remove(a.requestId()), device, 0);
        report(() -> metrics.answered(code));
      } else {
        count(current.get(d.requestId()), device, 1);
        gatewayDecided(d, RouterMetrics.FailoverCause.UNAVAILABLE);
      }
    }
  }

  /** The forward of {@code requestId} timed out and the router returned {@code decisions}. */
  public void timedOut(final String requestId, final List<Decision> decisions) {
    if (decisions.isEmpty()) {
      return;
    }
    final ServerOf server = current.get(requestId);
    if (server != null) {
      count(server, server.device(), 1);
    }
    decisions.forEach(d -> gatewayDecided(d, RouterMetrics.FailoverCause.TIMEOUT));
  }

  /** {@code device} left with requests in hand; {@code decisions} moved or ended them. */
  public void departed(final String device, final List<Decision> decisions) {
    for (final Decision d : decisions) {
      count(current.get(d.requestId()), device, 1);
      gatewayDecided(d, RouterMetrics.FailoverCause.DISCONNECT);
    }
  }

  /** A request held by its consumer's bandwidth was let go with {@code decision}. */
  public void released(final Decision decision) {
    gatewayDecided(decision, null);
  }

  /** An access policy refused a request by {@code limit}. */
  public void policyRefused(final RouterMetrics.PolicyLimit limit) {
    report(() -> metrics.policyRefused(limit));
  }

  /** A request was refused on arrival by {@code cap}. */
  public void capped(final RouterMetrics.PendingCap cap) {
    report(() -> metrics.pendingRefused(cap));
  }

  /** A group member was asked to volunteer (R16). */
  public void volunteerAsked() {
    report(metrics::volunteerAsked);
  }

  /** A request held for a volunteer was forwarded (R16). */
  public void volunteerServed() {
    report(metrics::volunteerServed);
  }

  /** A request was not held for a volunteer, for {@code cap}; it is answered 503. */
  public void holdRefused(final RouterMetrics.HoldCap cap) {
    report(() -> metrics.holdRefused(cap));
  }

  /** A request's deadline was clamped to the longest allowed. */
  public void clamped() {
    report(metrics::deadlineClamped);
  }

  /** Requests {@code device} answered for {@code service} of {@code community} since the start. */
  public long served(final String community, final String service, final String device) {
    final long[] c = counts.get(new ServerOf(community, service, device));
    return c == null ? 0 : c[0];
  }

  /**
   * Requests {@code device} failed for {@code service} of {@code community} (timed out,
   * disconnected with, 503 or an unusable answer).
   */
  public long failed(final String community, final String service, final String device) {
    final long[] c = counts.get(new ServerOf(community, service, device));
    return c == null ? 0 : c[1];
  }

  /** A forward ({@code cause} when it is a failover) or the gateway's own answer. */
  private void gatewayDecided(final Decision d, final RouterMetrics.FailoverCause cause) {
    if (d instanceof Decision.Forward f) {
      current.put(
          f.requestId(),
          new ServerOf(f.request().getCommunity(), f.request().getService(), f.device()));
      if (cause != null) {
        report(() -> metrics.failedOver(cause));
      }
    } else if (d instanceof Decision.Answer a) {
      current.remove(a.requestId());
      report(() -> metrics.refused(a.code()));
    }
  }

  /**
   * Counts for {@code device} in the service of {@code request}, the forward the request was last
   * sent as; nothing when the request is not tracked (forgotten past {@link #MAX_TRACKED}).
   */
  private void count(final ServerOf request, final String device, final int which) {
    if (request == null) {
      return;
    }
    counts
        .computeIfAbsent(
            new ServerOf(request.community(), request.service(), device), k -> new long[2])[
        which]++;
  }

  private static void report(final Runnable call) {
    try {
      call.run();
    } catch (final RuntimeException e) {
      log.warn("the metrics listener failed; the request is routed all the same", e);
    }
  }
}
