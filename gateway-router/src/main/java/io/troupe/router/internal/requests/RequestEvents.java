package io.troupe.router.internal.requests;

import com.google.common.base.Ticker;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.troupe.proto.v1.TunnelResponse;
import io.troupe.router.Decision;
import io.troupe.router.Principal;
import io.troupe.router.RouterMetrics;
import io.troupe.router.Status;
import io.troupe.router.Verdict;
import io.troupe.router.internal.locks.RouterLocks;
import io.troupe.router.internal.routing.Explanation;
import io.troupe.router.internal.routing.RoutingTally;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of requests in flight (a request, a reply, a forward's timer) handed to {@link
 * RequestRouter} under the routing lock, and what became of each counted in the {@link
 * RoutingTally} for the metrics.
 */
public final class RequestEvents {

  /** Logged under the router's name, as before the router was split. */
  private static final Logger log = LoggerFactory.getLogger(RequestEvents.class);

  private final RequestRouter requests;
  private final RoutingTally tally;

  /** The router's locks, taken in their order. */
  private final RouterLocks locks;

  private volatile Ticker ticker = Ticker.systemTicker();

  /** Events for {@code requests}, counted in {@code tally}. */
  public RequestEvents(
      final RequestRouter requests, final RoutingTally tally, final RouterLocks locks) {
    this.requests = requests;
    this.tally = tally;
    this.locks = locks;
  }

  /**
   * Tells {@code metrics} what becomes of every request from now on; the time of each decision is
   * read from {@code ticker}, for the metrics only (routing never reads it).
   */
  public void reportTo(final RouterMetrics metrics, final Ticker ticker) {
    locks.routing(
        () -> {
          tally.reportTo(metrics);
          this.ticker = Objects.requireNonNull(ticker, "ticker");
        });
  }

  /**
   * Runs {@code route}, the handling of a consumer's request ({@link RequestRouter#onRequest}),
   * under the routing lock, and counts its decision and how long it took.
   */
  public Decision request(final Supplier<Decision> route) {
    return locks.routing(
        () -> {
          final long started = ticker.read();
          final Decision decision = route.get();
          tally.request(decision, ticker.read() - started);
          return decision;
        });
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
    return locks.routing(
        () -> {
          final List<Decision> decisions = requests.onReply(replyDevice, id, response);
          tally.replied(
              replyDevice, response.getStatus() == 0 ? 200 : response.getStatus(), decisions);
          return decisions;
        });
  }

  /**
   * Whether {@code who} may publish on the reply topic of {@code replyDevice}: only that device's
   * own session may.
   */
  public static Verdict mayReply(final Principal who, final String replyDevice) {
    if (who.isDevice() && who.identity().equals(replyDevice)) {
      return Verdict.allowed();
    }
    return Verdict.refused(
        Status.FORBIDDEN,
        "'" + who.clientId() + "' may not answer on the reply topic of '" + replyDevice + "'");
  }

  /** The timer of a forward fired. Does nothing if that attempt has already concluded. */
  public List<Decision> onForwardTimeout(final String requestId, final int attempt) {
    return locks.routing(
        () -> {
          final boolean held = requests.isHeld(requestId);
          final List<Decision> decisions = requests.onForwardTimeout(requestId, attempt);
          if (held) { // the end of a bandwidth's hold, not a timeout
            decisions.forEach(tally::released);
          } else {
            tally.timedOut(requestId, decisions);
          }
          return decisions;
        });
  }

  /**
   * {@code device} reported a status: the requests held for a volunteer (R16) that go to it, or to
   * another server of their service, now; counted as released holds. Takes the routing lock (again,
   * when the caller holds it).
   */
  public List<Decision> releaseHeld(final String device) {
    return locks.routing(
        () -> {
          final List<Decision> decisions = requests.releaseHeld(device);
          decisions.forEach(tally::released);
          return decisions;
        });
  }

  /**
   * The last routing decisions for {@code address} (at most 16, oldest first): which rule chose
   * each server, and which servers were skipped and why. Empty for an address with no recent
   * request; the least recently routed addresses are forgotten first.
   */
  public List<Explanation> lastDecisions(final String address) {
    return locks.routing(
        () -> {
          return requests.lastDecisions(address);
        });
  }

  /** How many requests wait for an answer. */
  public int pendingCount() {
    return locks.routing(
        () -> {
          return requests.pendingCount();
        });
  }
}
