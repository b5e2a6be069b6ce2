package io.troupe.router.internal.devices;

import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.router.internal.routing.ServerRanking;
import java.time.Duration;

/** Presence and load of one device, rebuilt from status messages and client events. */
public final class ServerState {

  /** Told of every change that may move the server in a ranking (see {@link ServerRanking}). */
  private final Runnable onChange;

  private boolean connected;
  private long connection = -1;
  private long lastStatusMs = -1;
  private ReportedStatus status = ReportedStatus.NONE;
  private boolean suspected;
  private int inProgress;
  private Availability listed;
  private long lastSent;
  private final Latency latency = new Latency();

  public ServerState() {
    this(() -> {});
  }

  /** A server whose changes {@code onChange} hears of. */
  public ServerState(final Runnable onChange) {
    this.onChange = onChange;
  }

  /**
   * A new connection: the device is not alive again until it reports on it, since it may not have
   * subscribed to its requests yet.
   */
  public void connected(final long connectionId) {
    connected = true;
    connection = connectionId;
    lastStatusMs = -1;
    suspected = false;
    onChange.run();
    latency.reset();
  }

  /** Returns false when the event is about an older connection than the current one. */
  public boolean disconnected(final long connectionId) {
    if (connectionId != connection && connectionId >= 0 && connection >= 0) {
      return false;
    }
    connected = false;
    suspected = false;
    onChange.run();
    return true;
  }

  /** A status arrived: {@code reported}, made ready for decisions before the routing lock. */
  public void status(final ReportedStatus reported, final long nowMs) {
    status = reported;
    lastStatusMs = nowMs;
    connected = reported.message().getAvailability() != Availability.OFFLINE;
    if (connected) {
      latency.heard(nowMs);
    }
    suspected = false;
    onChange.run();
  }

  public void suspect() {
    if (!suspected) {
      suspected = true;
      onChange.run();
    }
  }

  public void replied() {
    if (suspected) {
      suspected = false;
      onChange.run();
    }
  }

  public Presence presence(final long nowMs, final Duration statusTimeout) {
    if (lastStatusMs < 0) {
      return connected ? Presence.UNKNOWN : Presence.DEAD;
    }
    if (!connected
        || status.message().getAvailability() == Availability.OFFLINE
        || nowMs - lastStatusMs > statusTimeout.toMillis()) {
      return Presence.DEAD;
    }
    return suspected ? Presence.SUSPECTED : Presence.ALIVE;
  }

  public Availability availability(final long nowMs, final Duration statusTimeout) {
    final Presence p = presence(nowMs, statusTimeout);
    if (p == Presence.DEAD || p == Presence.UNKNOWN) {
      return Availability.OFFLINE;
    }
    return status.message().getAvailability() == Availability.AVAILABILITY_UNSPECIFIED
        ? Availability.AVAILABLE
        : status.message().getAvailability();
  }

  /** Whether it takes more work: not busy and under its own limit of requests in progress. */
  public boolean hasCapacity() {
    if (status.message().getAvailability() == Availability.BUSY) {
      return false;
    }
    final int max = status.message().getMetrics().getMaxRequestsInProgress();
    return max == 0 || inProgress < max;
  }

  /** The router sent it a request, its {@code send}-th. */
  public void started(final long send) {
    inProgress++;
    lastSent = send;
    onChange.run();
  }

  public void finished() {
    if (inProgress > 0) {
      inProgress--;
      onChange.run();
    }
  }

  /** When the router last sent it a request, as a count of the router's sends; 0 if never. */
  public long lastSent() {
    return lastSent;
  }

  /**
   * Whether its availability now differs from what the last check saw, which it remembers: how a
   * status that silently times out reaches the distribution lists.
   */
  public boolean availabilityChanged(final long nowMs, final Duration statusTimeout) {
    final Availability now = availability(nowMs, statusTimeout);
    final boolean changed = listed != null && listed != now;
    listed = now;
    if (changed) {
      onChange.run();
    }
    return changed;
  }

  /** How fast it answers, and when it last did: its forward timeout follows. */
  public Latency latency() {
    return latency;
  }

  public int inProgress() {
    return inProgress;
  }

  /** The last status it reported: metrics and availability criteria. */
  public StatusMessage status() {
    return status.message();
  }

  /** The last status it reported, with what decisions need of it. */
  public ReportedStatus reported() {
    return status;
  }

  /** When its last status arrived on the router's clock; -1 for none since it connected. */
  public long lastStatusMs() {
    return lastStatusMs;
  }
}
