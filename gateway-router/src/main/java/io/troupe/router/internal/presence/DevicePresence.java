package io.troupe.router.internal.presence;

import io.troupe.router.Decision;
import io.troupe.router.Departure;
import io.troupe.router.Directive;
import io.troupe.router.Principal;
import io.troupe.router.RouterConfig;
import io.troupe.router.internal.devices.Connections;
import io.troupe.router.internal.devices.Presence;
import io.troupe.router.internal.devices.ServerState;
import io.troupe.router.internal.devices.ServerStates;
import io.troupe.router.internal.locks.RouterLocks;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.requests.RequestRouter;
import io.troupe.router.internal.routing.Candidates;
import io.troupe.router.internal.routing.RoutingTally;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Who is there: sessions starting and ending, and the clock moving on. A device's departure sends
 * its requests elsewhere and is announced; a tick finds what changed silently. Every event is
 * handled under the router's routing lock.
 */
public final class DevicePresence {

  private final RouterConfig config;
  private final Clock clock;
  private final Registry registry;
  private final ServerStates servers;
  private final Connections connections;
  private final RequestRouter requests;
  private final RoutingTally tally;
  private final Announcements announce;

  /** The router's locks, taken in their order. */
  private final RouterLocks locks;

  /** Presence of {@code servers}, whose rankings live in {@code registry}. */
  public DevicePresence(
      final RouterConfig config,
      final Clock clock,
      final Registry registry,
      final ServerStates servers,
      final Connections connections,
      final RequestRouter requests,
      final RoutingTally tally,
      final Announcements announce,
      final RouterLocks locks) {
    this.config = config;
    this.clock = clock;
    this.registry = registry;
    this.servers = servers;
    this.connections = connections;
    this.requests = requests;
    this.tally = tally;
    this.announce = announce;
    this.locks = locks;
  }

  /** A client's session started; {@code connectionId} tells its connections apart. */
  public void onConnected(final Principal who, final long connectionId) {
    locks.routing(
        () -> {
          connections.connected(who, connectionId);
          registry.clientIds().connected(who.clientId(), connectionId);
          if (who.isDevice()) {
            server(who.identity()).connected(connectionId);
            requests.connected(who.identity());
          }
        });
  }

  /**
   * A client's session ended. For a device, every request in flight to it goes to the next server
   * at once, the gateway says it is offline on its status topic in every community it belongs to,
   * and the distribution lists of what it serves are republished.
   */
  public Departure onDisconnected(final Principal who, final long connectionId) {
    return locks.routing(
        () -> {
          connections.disconnected(who, connectionId);
          registry.clientIds().disconnected(who.clientId(), connectionId);
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
        });
  }

  /**
   * The clock moved on: the distribution lists of every device whose availability changed without
   * an event, such as a status that timed out silently, and the pings to send to idle or suspected
   * servers (a ping unanswered in time marks its server suspected). The gateway calls this every
   * second or so.
   */
  public List<Directive> onTick() {
    return locks.routing(
        () -> {
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
        });
  }

  /** The distribution lists of every service {@code device} serves, as they are now. */
  public List<Directive> serverLists(final String device) {
    return locks.routing(
        () -> {
          return announce.listsOf(device);
        });
  }

  /** The presence of a device as the router sees it now. */
  public Presence presence(final String device) {
    return locks.routing(
        () -> {
          final ServerState s = servers.get(device);
          return s == null ? Presence.UNKNOWN : s.presence(clock.millis(), config.statusTimeout());
        });
  }

  /** The state of server {@code device}, made at its first sight; called holding the lock. */
  public ServerState server(final String device) {
    return servers.getOrAdd(device, this::serverState);
  }

  /** A server's state, which moves it in the rankings of the services it serves as it changes. */
  private ServerState serverState(final String device) {
    return new ServerState(
        () ->
            Candidates.moved(
                registry, device, servers.get(device), clock.millis(), config.statusTimeout()));
  }
}
