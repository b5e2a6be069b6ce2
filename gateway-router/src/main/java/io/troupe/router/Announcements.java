package io.troupe.router;

import io.troupe.contract.Topics;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.StatusMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the gateway publishes about services and devices: distribution lists, the role of a server
 * that became primary, and a departed device's offline status. Not thread-safe: the router calls it
 * under its lock.
 */
final class Announcements {

  private final Registry registry;
  private final Map<String, ServerState> servers;
  private final RouterConfig config;
  private final Topics topics;
  private final Clock clock;

  Announcements(
      final Registry registry,
      final Map<String, ServerState> servers,
      final RouterConfig config,
      final Clock clock) {
    this.registry = registry;
    this.servers = servers;
    this.config = config;
    this.topics = config.topics();
    this.clock = clock;
  }

  /** The distribution list of {@code s} as it is now. */
  Directive.PublishServers list(final Registry.Service s) {
    return new Directive.PublishServers(
        topics.servers(s.community.name, s.name),
        Tunnel.distributionList(s, servers, clock.millis(), config.statusTimeout()));
  }

  /** The distribution lists of every service {@code device} serves. */
  List<Directive> listsOf(final String device) {
    final List<Directive> lists = new ArrayList<>();
    for (final Registry.Service s : registry.servicesOf(device)) {
      lists.add(list(s));
    }
    return lists;
  }

  /** A role assignment for the server that became primary of {@code s}, if one did. */
  Optional<Directive> promotion(final Optional<String> was, final Registry.Service s) {
    final Optional<String> now =
        s.servers.values().stream()
            .filter(e -> e.role == ServerRole.PRIMARY)
            .map(e -> e.device)
            .findFirst();
    if (was.isEmpty() || now.isEmpty() || was.equals(now)) {
      return Optional.empty();
    }
    final Control control = RoleOps.control(s, ServerRole.PRIMARY, clock.millis());
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
    for (final Registry.Community c : registry.communities.values()) {
      if (c.members.contains(device)) {
        statuses.add(new Directive.PublishStatus(topics.status(c.name, device), offline));
      }
    }
    return statuses;
  }
}
