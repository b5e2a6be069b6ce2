package io.troupe.router.internal.requests;

import io.troupe.contract.Topics;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.Ping;
import io.troupe.router.Directive;
import io.troupe.router.internal.devices.Presence;
import io.troupe.router.internal.devices.ServerState;
import io.troupe.router.internal.devices.ServerStates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Which servers to ping, so that the gateway knows who is really there before it needs them: a
 * server not heard from (answered nothing, was not probed) for {@link #IDLE}, and a suspected one
 * every {@link #SUSPECTED_INTERVAL}. The ping is a {@code Control} on the device's {@code /ctl}
 * topic, answered on its reply topic with the ping's id as request id. An answer clears suspicion;
 * a ping unanswered within the server's forward timeout marks it suspected. Traffic stays bounded:
 * one ping in flight per server, at most {@link #MAX_PER_TICK} new ones per tick. Not thread-safe:
 * used under the router's lock.
 */
final class Probes {

  /** A server heard from within this long is not pinged. */
  static final Duration IDLE = Duration.ofSeconds(10);

  /** How often a suspected server is pinged again. */
  static final Duration SUSPECTED_INTERVAL = Duration.ofSeconds(2);

  /** The most pings started by one tick, however many servers are idle. */
  static final int MAX_PER_TICK = 64;

  /** Every ping's id starts with this; request ids never do. */
  static final String PREFIX = "ping.";

  private record Sent(String id, long atMs) {}

  private final Topics topics;
  private final Map<String, Sent> inFlight = new HashMap<>();
  private final Map<String, Long> lastPingMs = new HashMap<>();
  private long ids;

  Probes(final Topics topics) {
    this.topics = topics;
  }

  static boolean isPing(final String id) {
    return id.startsWith(PREFIX);
  }

  /**
   * The clock moved on: marks suspected every server whose ping went unanswered past its forward
   * timeout, and returns the pings to send now.
   */
  List<Directive> due(
      final ServerStates servers,
      final long nowMs,
      final Duration statusTimeout,
      final Duration maxForwardTimeout) {
    for (final Iterator<Map.Entry<String, Sent>> it = inFlight.entrySet().iterator();
        it.hasNext(); ) {
      final Map.Entry<String, Sent> e = it.next();
      final ServerState s = servers.get(e.getKey());
      if (s == null) {
        it.remove();
      } else if (nowMs - e.getValue().atMs() >= s.latency().timeout(maxForwardTimeout).toMillis()) {
        s.suspect();
        it.remove();
      }
    }
    final List<Directive> pings = new ArrayList<>();
    for (final Map.Entry<String, ServerState> e : servers.entries()) {
      if (pings.size() >= MAX_PER_TICK) {
        break;
      }
      final String device = e.getKey();
      final ServerState s = e.getValue();
      final Presence presence = s.presence(nowMs, statusTimeout);
      if (inFlight.containsKey(device)
          || (presence != Presence.ALIVE && presence != Presence.SUSPECTED)) {
        continue;
      }
      final long heard = Math.max(s.latency().lastAnswerMs(), lastPingMs.getOrDefault(device, -1L));
      final long quiet =
          presence == Presence.SUSPECTED ? SUSPECTED_INTERVAL.toMillis() : IDLE.toMillis();
      if (heard >= 0 && nowMs - heard < quiet) {
        continue;
      }
      final String id = PREFIX + Long.toString(++ids, 36);
      inFlight.put(device, new Sent(id, nowMs));
      lastPingMs.put(device, nowMs);
      pings.add(
          new Directive.SendControl(
              device,
              topics.deviceControl(device),
              Control.newBuilder()
                  .setIssuedAtMs(nowMs)
                  .setPing(Ping.newBuilder().setId(id))
                  .build()));
    }
    return pings;
  }

  /**
   * {@code device} answered ping {@code id}: it is there. A late answer counts too; whatever the
   * device says on its own reply topic is its own word.
   */
  void answered(final String device, final String id, final ServerState state, final long nowMs) {
    final Sent sent = inFlight.get(device);
    if (sent != null && sent.id().equals(id)) {
      inFlight.remove(device);
    }
    state.latency().answered(nowMs);
    state.replied();
  }

  /** {@code device} is gone: forget its ping. */
  void forget(final String device) {
    inFlight.remove(device);
    lastPingMs.remove(device);
  }
}
