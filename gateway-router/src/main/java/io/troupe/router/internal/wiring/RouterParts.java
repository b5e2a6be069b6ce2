package io.troupe.router.internal.wiring;

import io.troupe.contract.CoapKeys;
import io.troupe.contract.Invitations;
import io.troupe.router.RouterConfig;
import io.troupe.router.StateStore;
import io.troupe.router.internal.api.ApiChanges;
import io.troupe.router.internal.api.GatewayApi;
import io.troupe.router.internal.api.ObservationOps;
import io.troupe.router.internal.api.PolicyOps;
import io.troupe.router.internal.api.SyncOps;
import io.troupe.router.internal.devices.Connections;
import io.troupe.router.internal.devices.InMemoryServerStates;
import io.troupe.router.internal.devices.ServerStates;
import io.troupe.router.internal.devices.VolunteerOffers;
import io.troupe.router.internal.locks.RouterLocks;
import io.troupe.router.internal.login.Passwords;
import io.troupe.router.internal.policy.AccessPolicies;
import io.troupe.router.internal.policy.PolicyBook;
import io.troupe.router.internal.presence.Announcements;
import io.troupe.router.internal.presence.DevicePresence;
import io.troupe.router.internal.presence.SessionPolicy;
import io.troupe.router.internal.presence.SyncRounds;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.RegistryReads;
import io.troupe.router.internal.registry.StateWriter;
import io.troupe.router.internal.requests.InFlight;
import io.troupe.router.internal.requests.RequestEvents;
import io.troupe.router.internal.requests.RequestRouter;
import io.troupe.router.internal.routing.RoutingTally;
import io.troupe.router.internal.status.DeviceReports;
import io.troupe.router.internal.status.Reports;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The parts the {@code GatewayRouter} facade delegates to, built over one registry and one set of
 * locks. This is where the stores behind the router's interfaces are chosen: today the in-memory
 * {@link InMemoryServerStates} and {@link InFlight}.
 */
public record RouterParts(
    Registry registry,
    RegistryReads reads,
    DevicePresence presence,
    DeviceReports deviceReports,
    Reports reports,
    ApiChanges apiChanges,
    RequestRouter requests,
    RequestEvents requestEvents,
    SessionPolicy sessionPolicy,
    AccessPolicies policies,
    SyncRounds syncRounds) {

  /**
   * The parts over the state loaded from {@code store} (an empty registry when it holds none).
   *
   * @throws StateStore.StateStoreException when the store cannot be read
   */
  public static RouterParts assemble(
      final RouterConfig config,
      final Passwords passwords,
      final Clock clock,
      final StateStore store,
      final Optional<CoapKeys> coapKeys,
      final Optional<Invitations> invitations,
      final RandomGenerator random,
      final RouterLocks locks) {
    final java.util.Optional<io.troupe.proto.v1.GatewayState> saved = store.load();
    final Registry registry =
        saved
            .map(state -> Registry.fromState(state, config.clientIds()))
            .orElseGet(() -> new Registry(config.clientIds()));
    final AccessPolicies policies =
        new AccessPolicies(
            PolicyBook.of(
                saved.map(io.troupe.proto.v1.GatewayState::getPoliciesList).orElse(List.of())),
            config.usage());
    policies.restore(store.loadUsage(), clock.millis());
    final RegistryReads reads = new RegistryReads(registry, locks);
    final ServerStates servers = new InMemoryServerStates();
    final Connections connections = new Connections();
    final RoutingTally tally = new RoutingTally();
    final StateWriter writer = new StateWriter(registry, store, locks);
    final GatewayApi api =
        new GatewayApi(
            registry, config, connections, clock::millis, passwords, coapKeys, invitations);
    final Announcements announce = new Announcements(registry, servers, config, clock);
    final Reports reports =
        new Reports(config.maxPayloadBytes(), config.statusLimits(), reads::isMember);
    final SyncRounds syncRounds = new SyncRounds(config, clock, registry, servers, locks);
    final VolunteerOffers offers = new VolunteerOffers();
    final RequestRouter requests =
        new RequestRouter(
            config,
            clock,
            registry,
            servers,
            new InFlight(servers),
            random,
            tally,
            policies,
            syncRounds::limits,
            offers);
    final RequestEvents requestEvents = new RequestEvents(requests, tally, locks);
    final DevicePresence presence =
        new DevicePresence(
            config, clock, registry, servers, connections, requests, tally, announce, locks);
    final DeviceReports deviceReports =
        new DeviceReports(
            config,
            clock,
            registry,
            presence,
            reports,
            announce,
            writer,
            locks,
            offers,
            requestEvents::releaseHeld);
    final ObservationOps observations = new ObservationOps(registry, servers, tally, config);
    final ApiChanges apiChanges =
        new ApiChanges(
            clock,
            registry,
            api,
            passwords,
            requests,
            announce,
            observations,
            new SyncOps(registry, config.topics()),
            new PolicyOps(registry, policies, connections, store, clock, locks),
            writer,
            locks);
    return new RouterParts(
        registry,
        reads,
        presence,
        deviceReports,
        reports,
        apiChanges,
        requests,
        requestEvents,
        new SessionPolicy(registry, connections, policies, locks),
        policies,
        syncRounds);
  }
}
