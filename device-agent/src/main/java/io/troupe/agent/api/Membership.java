package io.troupe.agent.api;

import io.troupe.agent.internal.GatewayApiClient;
import io.troupe.agent.internal.GatewayRequests;
import io.troupe.agent.internal.MqttSession;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.ServiceShare;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's place in one of its communities, and the one owner of it: joining, registering,
 * enabling and deregistering the services it serves there, leaving, and doing it all again after a
 * reconnection (the gateway takes a repeated join or registration as harmless). A rejoin that fails
 * while connected is retried after a short backoff. An agent in several communities has one each,
 * over one MQTT session.
 */
final class Membership {

  private static final Logger log = LoggerFactory.getLogger(Membership.class);

  private final TroupeAgentBuilder settings;
  private final String community;
  private final Map<String, TroupeAgent.Service> services;
  private final Topics topics;
  private final MqttSession session;
  private final GatewayApiClient api;
  private final Supplier<CompletableFuture<Void>> publishStatus;
  private final Rejoiner rejoiner;
  private final ToldByGateway told;
  private final OwnDescriptors descriptors;
  private final Map<String, Registration> registrations = new ConcurrentHashMap<>();
  private final Map<String, Boolean> enabled = new ConcurrentHashMap<>();
  private final Set<String> deregistered = ConcurrentHashMap.newKeySet();

  /** Volunteer services the gateway asked this device to serve (R16): registered since. */
  private final Set<String> volunteered = ConcurrentHashMap.newKeySet();

  private volatile boolean owner;
  private volatile boolean left;
  private volatile boolean stopped;

  Membership(
      final TroupeAgentBuilder settings,
      final String community,
      final Topics topics,
      final MqttSession session,
      final GatewayApiClient api,
      final ScheduledExecutorService scheduler,
      final Supplier<CompletableFuture<Void>> publishStatus,
      final SyncedContent content) {
    this.settings = settings;
    this.community = community;
    // in the order given: the registrations, and so the roles, follow it
    this.services =
        java.util.Collections.unmodifiableMap(
            new java.util.LinkedHashMap<>(settings.servicesByCommunity().get(community)));
    this.descriptors = new OwnDescriptors(settings, community, topics, session, api, content);
    this.topics = topics;
    this.session = session;
    this.api = api;
    this.publishStatus = publishStatus;
    this.rejoiner =
        new Rejoiner(
            community, settings.deviceId, this::join, () -> left || stopped, session, scheduler);
    this.told = new ToldByGateway(settings.deviceId, registrations::containsKey);
  }

  /** Subscribes, joins, registers every service still wanted, publishes the status. */
  CompletableFuture<List<Registration>> join() {
    return session
        .subscribe(topics.deviceInbox(settings.deviceId), topics.responseFilter(settings.deviceId))
        .thenCompose(
            ok ->
                api.call(GatewayRequests.join(community, settings.openCommunity, settings.members)))
        .thenCompose(this::listMembers)
        .thenCompose(ok -> registerAll())
        .thenCompose(list -> publishStatus.get().thenApply(ok -> list));
  }

  /**
   * In a community it owns, the device adds the members it was given to the list and sets the
   * community's anonymity it was given, where they are not so already.
   */
  private CompletableFuture<?> listMembers(final io.troupe.proto.v1.GatewayResponse joined) {
    final io.troupe.proto.v1.CommunityInfo info = joined.getCommunity();
    owner = info.getOwner().equals(settings.deviceId);
    if (settings.installable && !owner) {
      log.warn(
          "not marking services of {} installable: only its owner {} decides [device: {}]",
          community,
          info.getOwner(),
          settings.deviceId);
    }
    final boolean anonymity =
        settings.communityAnonymity != io.troupe.proto.v1.Anonymity.ANONYMITY_UNSPECIFIED
            && info.getAnonymity() != settings.communityAnonymity;
    if (!owner || (info.getAllowedList().containsAll(settings.members) && !anonymity)) {
      return CompletableFuture.completedFuture(null);
    }
    return api.call(
        anonymity
            ? GatewayRequests.updateCommunity(
                community, settings.members, settings.communityAnonymity)
            : GatewayRequests.addMembers(community, settings.members));
  }

  /** After a reconnection: join again at once; while connected, retry a failure shortly. */
  void rejoin() {
    rejoiner.rejoin();
  }

  private CompletableFuture<List<Registration>> registerAll() {
    CompletableFuture<List<Registration>> chain =
        CompletableFuture.completedFuture(new ArrayList<>());
    for (final Map.Entry<String, TroupeAgent.Service> e : services.entrySet()) {
      if (deregistered.contains(e.getKey()) || waitsToVolunteer(e.getKey())) {
        continue;
      }
      chain =
          chain.thenCompose(
              list ->
                  register(e.getKey(), e.getValue())
                      .thenApply(
                          r -> {
                            list.add(r);
                            return list;
                          }));
    }
    return chain.thenApply(List::copyOf);
  }

  private CompletableFuture<Registration> register(
      final String name, final TroupeAgent.Service service) {
    return api.call(
            GatewayRequests.register(
                community,
                name,
                descriptors.own(name, service),
                settings.passive,
                settings.anonymity,
                settings.serverAnonymity))
        .thenCompose(
            response -> {
              final Registration r =
                  new Registration(
                      name,
                      response.getRegistration().getAddress(),
                      response.getRegistration().getRole());
              registrations.put(name, r);
              final CompletableFuture<Void> share =
                  isEnabled(name) ? CompletableFuture.completedFuture(null) : sendEnabled(r, false);
              return share
                  .thenCompose(ok -> descriptors.publish(name, service, owner))
                  .thenApply(ok -> r);
            });
  }

  Map<String, Registration> registrations() {
    return Map.copyOf(registrations);
  }

  CompletableFuture<Void> setServiceEnabled(final String service, final boolean value) {
    final Registration r = registrations.get(service);
    if (r == null) {
      enabled.put(service, value);
      return CompletableFuture.completedFuture(null);
    }
    return sendEnabled(r, value)
        .thenCompose(
            ok -> {
              enabled.put(service, value);
              return publishStatus.get();
            });
  }

  private CompletableFuture<Void> sendEnabled(final Registration r, final boolean value) {
    return api.call(GatewayRequests.setEnabled(r.address(), value)).thenApply(ok -> null);
  }

  CompletableFuture<Void> leave() {
    return api.call(GatewayRequests.leave(community))
        .thenApply(
            r -> {
              left = true;
              registrations.clear();
              log.info("left {} [device: {}]", community, settings.deviceId);
              return null;
            });
  }

  CompletableFuture<Void> deregister(final String service) {
    return api.call(GatewayRequests.deregister(community, service))
        .thenCompose(
            r -> {
              deregistered.add(service);
              registrations.remove(service);
              return publishStatus.get();
            });
  }

  boolean hasLeft() {
    return left;
  }

  /** No more rejoining: the agent is closing. */
  void stop() {
    stopped = true;
  }

  private boolean isEnabled(final String service) {
    return enabled.getOrDefault(service, true);
  }

  String community() {
    return community;
  }

  /** Whether this device serves {@code service} here (deregistered or not). */
  boolean has(final String service) {
    return services.containsKey(service);
  }

  /** The handler for a forwarded request; "" means the only service. */
  Optional<ServiceHandler> handlerOf(final String service) {
    if (deregistered.contains(service)) {
      return Optional.empty();
    }
    if (service.isEmpty() && services.size() == 1) {
      return Optional.of(services.values().iterator().next().handler());
    }
    return Optional.ofNullable(services.get(service)).map(TroupeAgent.Service::handler);
  }

  /** The content store of {@code service} here, if it is served here and synchronised. */
  Optional<ContentStore> storeOf(final String service) {
    return handlerOf(service).isEmpty()
        ? Optional.empty()
        : Optional.ofNullable(settings.contents.get(service));
  }

  /** The services this device volunteers for here and does not serve yet (R16), for its status. */
  List<String> volunteerServices() {
    return services.keySet().stream()
        .filter(s -> waitsToVolunteer(s) && !deregistered.contains(s))
        .toList();
  }

  private boolean waitsToVolunteer(final String service) {
    return settings.volunteers.contains(service) && !volunteered.contains(service);
  }

  /**
   * Registers the volunteer service {@code service} because the gateway asked (R16), with its share
   * disabled: the caller enables it ({@link #setServiceEnabled}) once the content is in place.
   * Empty when it is not a service this device volunteers for here, or it serves it already.
   */
  Optional<CompletableFuture<Registration>> registerVolunteer(final String service) {
    final TroupeAgent.Service served = services.get(service);
    if (served == null
        || deregistered.contains(service)
        || !settings.volunteers.contains(service)
        || !volunteered.add(service)) {
      return Optional.empty();
    }
    enabled.put(service, false);
    return Optional.of(
        register(service, served)
            .whenComplete(
                (r, error) -> {
                  if (error != null) {
                    volunteered.remove(service); // asked again, it tries again
                  }
                }));
  }

  /** The gateway gave one of this device's services a new role; true when it was ours. */
  boolean applyRole(final Control control) {
    if (!control.hasRole() || !registrations.containsKey(control.getService())) {
      return false;
    }
    registrations.put(
        control.getService(),
        new Registration(control.getService(), control.getAddress(), control.getRole().getRole()));
    log.info(
        "now {} of {} [device: {}]",
        control.getRole().getRole(),
        control.getAddress(),
        settings.deviceId);
    return true;
  }

  /** What the gateway told of this device's services here besides their roles. */
  ToldByGateway told() {
    return told;
  }

  /**
   * Reports a new local descriptor of {@code service} (R4): the changes this device made, say while
   * it served itself as a passive server (R17). Kept and published again after a reconnection.
   */
  CompletableFuture<Void> describe(final String service, final ServiceDescriptor descriptor) {
    final TroupeAgent.Service served = services.get(service);
    if (served == null || !registrations.containsKey(service)) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("this device does not serve '" + service + "'"));
    }
    return descriptors.describe(service, served, descriptor, owner);
  }

  /**
   * Publishes the descriptor of a synchronised {@code service} again, with what its store holds
   * now; nothing while it is not registered here (registering publishes it).
   */
  CompletableFuture<Void> publishContent(final String service) {
    final TroupeAgent.Service served = services.get(service);
    if (served == null || !registrations.containsKey(service)) {
      return CompletableFuture.completedFuture(null);
    }
    return descriptors.publish(service, served, owner);
  }

  /** This device's share of each service it still serves, for its status. */
  List<ServiceShare> shares() {
    final List<ServiceShare> shares = new ArrayList<>();
    for (final String service : services.keySet()) {
      if (deregistered.contains(service) || waitsToVolunteer(service)) {
        continue;
      }
      final ServiceShare.Builder share =
          ServiceShare.newBuilder().setService(service).setEnabled(isEnabled(service));
      Optional.ofNullable(registrations.get(service)).ifPresent(r -> share.setRole(r.role()));
      shares.add(share.build());
    }
    return shares;
  }
}
