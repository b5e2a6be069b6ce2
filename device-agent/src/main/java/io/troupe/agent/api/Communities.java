package io.troupe.agent.api;

import io.troupe.agent.internal.GatewayApiClient;
import io.troupe.agent.internal.MqttSession;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.Control;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The device's {@link Membership}s, one per community, and the one place that says which of them a
 * service name, an address or a forwarded request belongs to. The agent's methods take a service
 * name where it is served in one community only, else its address ({@code name.community}).
 */
final class Communities {

  private final Map<String, Membership> byCommunity = new LinkedHashMap<>();

  Communities(
      final TroupeAgentBuilder settings,
      final Topics topics,
      final MqttSession session,
      final GatewayApiClient api,
      final ScheduledExecutorService scheduler,
      final Supplier<CompletableFuture<Void>> publishStatus,
      final SyncedContent content) {
    for (final String community : settings.communities) {
      byCommunity.put(
          community,
          new Membership(
              settings, community, topics, session, api, scheduler, publishStatus, content));
    }
  }

  /** Publishes the descriptor of a synchronised service in every community serving it. */
  CompletableFuture<Void> publishContent(final String service) {
    return CompletableFuture.allOf(
        byCommunity.values().stream()
            .filter(m -> m.has(service))
            .map(m -> m.publishContent(service))
            .toArray(CompletableFuture[]::new));
  }

  List<Membership> all() {
    return List.copyOf(byCommunity.values());
  }

  /** Joins each community in turn; the registrations of all, community by community. */
  CompletableFuture<List<Registration>> join() {
    CompletableFuture<List<Registration>> chain =
        CompletableFuture.completedFuture(new ArrayList<>());
    for (final Membership m : byCommunity.values()) {
      chain =
          chain.thenCompose(
              list ->
                  m.join()
                      .thenApply(
                          joined -> {
                            list.addAll(joined);
                            return list;
                          }));
    }
    return chain.thenApply(List::copyOf);
  }

  void rejoin() {
    byCommunity.values().forEach(Membership::rejoin);
  }

  void stop() {
    byCommunity.values().forEach(Membership::stop);
  }

  /** Whether the device has left every community. */
  boolean hasLeftAll() {
    return byCommunity.values().stream().allMatch(Membership::hasLeft);
  }

  /** Leaves every community. */
  CompletableFuture<Void> leave() {
    return CompletableFuture.allOf(
        byCommunity.values().stream().map(Membership::leave).toArray(CompletableFuture[]::new));
  }

  /**
   * Registrations keyed by service name, or by address for a service this device serves in more
   * than one community.
   */
  Map<String, Registration> registrations() {
    final Map<String, Registration> by = new LinkedHashMap<>();
    for (final Membership m : byCommunity.values()) {
      for (final Registration r : m.registrations().values()) {
        by.put(servedOnce(r.service()) ? r.service() : r.address(), r);
      }
    }
    return Map.copyOf(by);
  }

  private boolean servedOnce(final String service) {
    return byCommunity.values().stream().filter(m -> m.has(service)).count() == 1;
  }

  /** Where a name or address is served, and its service name there. */
  record Served(Membership membership, String service) {}

  /**
   * The membership serving {@code nameOrAddress}: a service name served in one community only, or
   * an address {@code name.community}. Case-insensitive.
   *
   * @throws IllegalArgumentException when this device serves no such service, or the name is served
   *     in several communities
   */
  Served resolve(final String nameOrAddress) {
    final String wanted = Objects.requireNonNull(nameOrAddress, "service").toLowerCase(Locale.ROOT);
    final int dot = wanted.indexOf('.');
    if (dot > 0) {
      final Membership m = byCommunity.get(wanted.substring(dot + 1));
      final String service = wanted.substring(0, dot);
      if (m != null && m.has(service)) {
        return new Served(m, service);
      }
    } else {
      final List<Membership> serving =
          byCommunity.values().stream().filter(m -> m.has(wanted)).toList();
      if (serving.size() == 1) {
        return new Served(serving.get(0), wanted);
      }
      if (serving.size() > 1) {
        throw new IllegalArgumentException(
            "'"
                + nameOrAddress
                + "' is served in "
                + serving.stream().map(Membership::community).toList()
                + "; name its address, such as "
                + wanted
                + "."
                + serving.get(0).community());
      }
    }
    throw new IllegalArgumentException("this device has no service '" + nameOrAddress + "'");
  }

  /** {@link #resolve}, empty instead of throwing. */
  Optional<Served> find(final String nameOrAddress) {
    try {
      return Optional.of(resolve(nameOrAddress));
    } catch (final IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The handler for a forwarded request in {@code community} (empty: the only community, as the
   * agent's warm-up and older gateways send).
   */
  Optional<ServiceHandler> handlerOf(final String community, final String service) {
    return servedIn(community).flatMap(m -> m.handlerOf(service));
  }

  private Optional<Membership> servedIn(final String community) {
    return Optional.ofNullable(
        community.isEmpty() && byCommunity.size() == 1
            ? byCommunity.values().iterator().next()
            : byCommunity.get(community));
  }

  /** The content store of a service in {@code community}, as {@link #handlerOf} finds it. */
  Optional<ContentStore> storeOf(final String community, final String service) {
    return servedIn(community).flatMap(m -> m.storeOf(service));
  }

  /** The membership a control is about, if this device is in its community. */
  Optional<Membership> of(final Control control) {
    return Optional.ofNullable(byCommunity.get(control.getCommunity()));
  }
}
