package io.troupe.router.internal.presence;

import io.troupe.contract.Topics;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.router.Directive;
import io.troupe.router.RouterConfig;
import io.troupe.router.internal.devices.ServerStates;
import io.troupe.router.internal.registry.Community;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.Service;
import io.troupe.router.internal.requests.Tunnel;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the gateway publishes about services and devices: distribution lists, the role of a server
 * that became primary, and a departed device's offline status. Not thread-safe: the router calls it
 * under its lock.
 */
public final class Announcements {

  private final Registry registry;
  private final ServerStates servers;
  private final RouterConfig config;
  private final Topics topics;
  private final Clock clock;

  /** Lists published at once per service and second before the rest wait for the tick. */
  public static final int LISTS_AT_ONCE = 8;

  private static final long WINDOW_MS = 1_000;

  /** Services whose list changed and waits for the tick. */
  private final Set<Service> dirty = new LinkedHashSet<>();

  public Announcements(
      final Registry registry,
      final ServerStates servers,
      final RouterConfig config,
      final Clock clock) {
    this.registry = registry;
    this.servers = servers;
    this.config = config;
    this.topics = config.topics();
    this.clock = clock;
  }

  /** The distribution list of {@code s} as it is now. */
  public Directive.PublishServers list(final Service s) {
    return new Directive.PublishServers(
        topics.servers(s.community().name(), s.name()),
        Tunnel.distributionList(s, servers, clock.millis(), config.statusTimeout()));
  }

  /** The distribution lists of every service {@code device} serves. */
  List<Directive> listsOf(final String device) {
    final List<Directive> lists = new ArrayList<>();
    for (final Service s : registry.servicesOf(device)) {
      lists.add(list(s));
    }
    return lists;
  }

  /**
   * The distribution lists to publish now that {@code device}'s availability changed. A service's
   * list goes out at once up to {@link #LISTS_AT_ONCE} times a second; past that the service waits
   * for the next {@link #due} and its list goes out once, as it is then: a cold start of thousands
   * of servers publishes a few lists a second per service rather than one per server, and the
   * retained list is never more than a tick behind.
   */
  public List<Directive> changed(final String device) {
    final long now = clock.millis();
    final List<Directive> lists = new ArrayList<>();
    for (final Service s : registry.servingView(device)) {
      if (!dirty.contains(s) && s.takeListSlot(now, WINDOW_MS, LISTS_AT_ONCE)) {
        lists.add(list(s));
      } else {
        dirty.add(s);
      }
    }
    return lists;
  }

  /** The lists held back by {@link #changed}, each once, as they are now; for the clock's tick. */
  List<Directive> due() {
    final List<Directive> lists = new ArrayList<>(dirty.size());
    for (final Service s : dirty) {
      // by address: a registry put back after a failed write holds the service as a new object
      final Service now = registry.serviceAt(s.address());
      if (now != null) {
        lists.add(list(now));
      }
    }
    dirty.clear();
    return lists;
  }

  /** A role assignment for the server that became primary of {@code s}, if one did. */
  public Optional<Directive> promotion(final Optional<String> was, final Service s) {
    final Optional<String> now =
        s.servers().values().stream()
            .filter(e -> e.role() == ServerRole.PRIMARY)
            .map(e -> e.device())
            .findFirst();
    if (was.isEmpty() || now.isEmpty() || was.equals(now)) {
      return Optional.empty();
    }
    final Control control = Tunnel.roleControl(s, ServerRole.PRIMARY, clock.millis());
    return Optional.of(
        new Directive.SendControl(now.get(), topics.deviceControl(now.get()), control));
  }

  /** {@code device} is offline, retained on its status topic in every community it belongs to. */
  List<Directive> offline(final String device) {
    final StatusMessage offline =
        StatusMessage.newBuilder()
            .setDeviceId(device)
            .setAvailability(Availability.OFFLINE)
            .build();
    final List<Directive> statuses = new ArrayList<>();
    for (final Community c : registry.communities().values()) {
      if (c.members().contains(device)) {
        statuses.add(new Directive.PublishStatus(topics.status(c.name(), device), offline));
      }
    }
    return statuses;
  }
}
