package io.troupe.router.internal.requests;

import io.troupe.router.internal.devices.Latency;
import io.troupe.router.internal.devices.Presence;
import java.util.Optional;

/**
 * What a forward's timer firing means: fail over, or keep waiting on the server that has the
 * request. A timeout is only a guess that the server is gone. When the server has answered other
 * requests since this one was sent, it is alive and working through its queue: re-sending the
 * request elsewhere would leave it queued there too and add load exactly when the servers are
 * saturated (how 1,000 consumers at one request a second once got 12,694 answers of 504). So the
 * request stays where it is, until the consumer's deadline, unless the next server is measurably
 * faster and less busy; so does a server that said it is up (a status) since: it may be busy with
 * this very request. A server silent since is given up on at once for the next one. When there is
 * no next one, the request waits on the last until the deadline: a timeout shortened by a fast
 * server's history must not turn a pause of all of them (a garbage collection, a busy machine) into
 * an early 504.
 */
final class TimeoutPolicy {

  /** What to do with the request. */
  enum Action {
    /** Re-arm the timer on the same server; send nothing. A silent server is still suspected. */
    WAIT,
    /** Give the server up (it is suspected) and send the request to the next one. */
    FAIL_OVER
  }

  /**
   * How much sooner the next server must be expected to answer for a second copy of the request to
   * be worth sending: a gain of milliseconds does not beat a request that has taken a second.
   */
  static final long WORTHWHILE_GAIN_MS = 100;

  /** One server as this decision sees it. */
  record Load(Latency latency, int inProgress) {}

  private TimeoutPolicy() {}

  /**
   * @param current the server whose timer fired
   * @param presence what the router believes of it now
   * @param sentAtMs when the request was sent to it
   * @param next the server the request would go to next, if any
   */
  static Action onTimeout(
      final Load current, final Presence presence, final long sentAtMs, final Optional<Load> next) {
    if (next.isEmpty()) {
      return Action.WAIT;
    }
    if (presence == Presence.DEAD || !current.latency().aliveSince(sentAtMs)) {
      return Action.FAIL_OVER;
    }
    final Load peer = next.get();
    final boolean faster =
        peer.latency().measured()
            && peer.latency().smoothedMs() * 2 < current.latency().smoothedMs()
            && current.latency().smoothedMs() - peer.latency().smoothedMs() >= WORTHWHILE_GAIN_MS
            && peer.inProgress() < current.inProgress();
    return faster ? Action.FAIL_OVER : Action.WAIT;
  }
}
