package io.troupe.extension.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.ClientBinding;
import io.troupe.proto.v1.CommunityRecord;
import io.troupe.proto.v1.GatewayState;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.KeyAction;
import io.troupe.proto.v1.KeyRecord;
import io.troupe.proto.v1.PolicyScope;
import io.troupe.proto.v1.Redemption;
import io.troupe.proto.v1.ServerRecord;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.ServiceRecord;
import io.troupe.proto.v1.UsageRecord;
import io.troupe.router.StateChange;
import io.troupe.router.StateStore.StateStoreException;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SqlStateStore} must do, whatever database is behind it. {@link
 * StateChange#applyTo} is the reference: a store that took a series of changes loads what applying
 * them in turn gives, up to the order of rows (a store orders them by key).
 */
abstract class StateStoreContract {

  private SqlStateStore store;

  /** The database under test, empty at the start of each test, the same for every call. */
  protected abstract Database database();

  private SqlStateStore open() {
    store = SqlStateStore.open(database(), getClass().getClassLoader());
    return store;
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void emptyDatabase_loadsNothing() {
    assertThat(open().load()).isEmpty();
  }

  @Test
  void everyKind_roundTripsThroughAReopen() {
    final StateChange change =
        StateChange.builder()
            .putIdentity(identity("alice", 1))
            .putCommunity(community("family", "alice"))
            .putService(service("family", "calendar", "alice"))
            .putClientId(binding("alice-phone", "alice"))
            .build();
    open().write(change);
    store.close();

    assertThat(open().load().map(StateStoreContract::sorted))
        .contains(sorted(change.applyTo(GatewayState.getDefaultInstance())));
  }

  @Test
  void keysPoliciesAndUsage_roundTripThroughAReopen_andRemovalsDeleteThem() {
    final AccessPolicy quota =
        AccessPolicy.newBuilder()
            .setScope(PolicyScope.SERVICE)
            .setTarget("echo.demo")
            .setQuotaBytes(50_000)
            .setQuotaWindowSeconds(10)
            .build();
    final AccessPolicy gateway =
        AccessPolicy.newBuilder().setScope(PolicyScope.GATEWAY).setMaxConnections(2).build();
    final KeyRecord key =
        KeyRecord.newBuilder()
            .setKeyId("k1")
            .addActions(KeyAction.USE)
            .setAddress("echo.demo")
            .setUses(3)
            .addRedemptions(Redemption.newBuilder().setNonce("n1").setIdentity("carol"))
            .build();
    final StateChange change =
        StateChange.builder().putKey(key).putPolicy(quota).putPolicy(gateway).build();
    open().write(change);
    final UsageRecord usage =
        UsageRecord.newBuilder()
            .setIdentity("carol")
            .setScope(PolicyScope.SERVICE)
            .setTarget("echo.demo")
            .setFirstBucketMs(1_000)
            .setBucketMs(100)
            .addReceived(10)
            .addSent(2_000)
            .build();
    store.saveUsage(List.of(usage));
    store.close();

    assertThat(open().load().map(StateStoreContract::sorted))
        .contains(sorted(change.applyTo(GatewayState.getDefaultInstance())));
    assertThat(store.loadUsage()).containsExactly(usage);

    store.write(
        StateChange.builder()
            .removeKey("k1")
            .removePolicy(StateChange.PolicyKey.of(gateway))
            .build());
    store.saveUsage(List.of(usage.toBuilder().clearReceived().clearSent().build()));
    store.close();

    final GatewayState loaded = open().load().orElseThrow();
    assertThat(loaded.getKeysList()).isEmpty();
    assertThat(loaded.getPoliciesList()).containsExactly(quota);
    assertThat(store.loadUsage()).isEmpty();
  }

  @Test
  void put_replacesTheRow() {
    open().write(base());
    final StateChange change =
        StateChange.builder()
            .putIdentity(identity("alice", 2))
            .putCommunity(community("family", "bob"))
            .putService(service("family", "calendar", "bob"))
            .putClientId(binding("alice-phone", "bob"))
            .build();
    store.write(change);

    assertThat(reloaded()).isEqualTo(sorted(change.applyTo(baseState())));
    assertThat(reloaded().getIdentities(0).getIterations()).isEqualTo(2);
  }

  @Test
  void removals_deleteOnlyTheirRows() {
    open().write(base());
    final StateChange change =
        StateChange.builder()
            .removeIdentity("bob")
            .removeService("family", "calendar")
            .removeService("work", "printer")
            .removeCommunity("work")
            .removeClientId("alice-phone")
            .build();
    store.write(change);

    final GatewayState loaded = reloaded();
    assertThat(loaded).isEqualTo(sorted(change.applyTo(baseState())));
    assertThat(loaded.getIdentitiesList())
        .extracting(IdentityRecord::getName)
        .containsOnly("alice");
    assertThat(loaded.getCommunitiesList())
        .extracting(CommunityRecord::getName)
        .containsOnly("family");
    assertThat(loaded.getCommunities(0).getServicesList())
        .extracting(ServiceRecord::getName)
        .containsOnly("weather");
    assertThat(loaded.getClientIdsList())
        .extracting(ClientBinding::getClientId)
        .containsOnly("bob-tv");
  }

  @Test
  void failingWrite_leavesTheStoreUnchanged() {
    open().write(base());
    final StateChange orphan =
        StateChange.builder()
            .putIdentity(identity("carol", 1))
            .removeIdentity("alice")
            .putService(service("nowhere", "ghost", "carol"))
            .build();

    assertThatThrownBy(() -> store.write(orphan)).isInstanceOf(StateStoreException.class);
    assertThat(reloaded()).isEqualTo(sorted(baseState()));
    store.write(StateChange.builder().putIdentity(identity("carol", 1)).build());
    assertThat(reloaded().getIdentitiesList())
        .extracting(IdentityRecord::getName)
        .contains("carol");
  }

  @Test
  void closedStore_refusesWritesAndKeepsWhatItHad() {
    open().write(base());
    store.close();

    assertThatThrownBy(() -> store.write(StateChange.builder().removeIdentity("alice").build()))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining("closed");
    assertThat(open().load().map(StateStoreContract::sorted)).contains(sorted(baseState()));
  }

  @Test
  void randomChanges_loadAsTheReferenceApplies() {
    final Random random = new Random(42);
    GatewayState expected = GatewayState.getDefaultInstance();
    open();
    for (int i = 0; i < 200; i++) {
      final StateChange.Builder change = StateChange.builder();
      final String name = "n" + random.nextInt(12);
      switch (random.nextInt(4)) {
        case 0 -> change.putIdentity(identity(name, i));
        case 1 -> change.removeIdentity(name).removeClientId(name);
        case 2 -> change.putCommunity(community("c", name)).putService(service("c", name, name));
        default -> change.putClientId(binding(name, "n" + i));
      }
      final StateChange built = change.build();
      store.write(built);
      expected = built.applyTo(expected);
    }
    assertThat(reloaded()).isEqualTo(sorted(expected));
  }

  @Test
  void largeRegistry_tenThousandServices_loads() {
    final StateChange.Builder change = StateChange.builder();
    for (int c = 0; c < 100; c++) {
      change.putCommunity(community("community-" + c, "owner"));
      for (int s = 0; s < 100; s++) {
        change.putService(service("community-" + c, "service-" + s, "device-" + s));
      }
    }
    open().write(change.build());
    store.close();

    final GatewayState loaded = open().load().orElseThrow();
    assertThat(loaded.getCommunitiesList()).hasSize(100);
    assertThat(loaded.getCommunitiesList())
        .allSatisfy(c -> assertThat(c.getServicesCount()).isEqualTo(100));
  }

  private GatewayState reloaded() {
    store.close();
    return sorted(open().load().orElseThrow());
  }

  static StateChange base() {
    return StateChange.between(GatewayState.getDefaultInstance(), baseState());
  }

  static GatewayState baseState() {
    return GatewayState.newBuilder()
        .addIdentities(identity("alice", 1))
        .addIdentities(identity("bob", 1))
        .addCommunities(
            community("family", "alice").toBuilder()
                .addServices(service("family", "calendar", "alice"))
                .addServices(service("family", "weather", "bob")))
        .addCommunities(
            community("work", "bob").toBuilder().addServices(service("work", "printer", "bob")))
        .addClientIds(binding("alice-phone", "alice"))
        .addClientIds(binding("bob-tv", "bob"))
        .build();
  }

  static IdentityRecord identity(final String name, final int iterations) {
    return IdentityRecord.newBuilder()
        .setName(name)
        .setRole(IdentityRole.DEVICE)
        .setSalt(com.google.protobuf.ByteString.copyFromUtf8("salt-" + name))
        .setHash(com.google.protobuf.ByteString.copyFrom(new byte[] {0, (byte) 0xff, 7}))
        .setIterations(iterations)
        .build();
  }

  static CommunityRecord community(final String name, final String owner) {
    return CommunityRecord.newBuilder()
        .setName(name)
        .setDomain(name + ".net")
        .setOwner(owner)
        .addMembers(owner)
        .build();
  }

  static ServiceRecord service(final String community, final String name, final String device) {
    return ServiceRecord.newBuilder()
        .setCommunity(community)
        .setName(name)
        .setAddress(name + "." + community)
        .addServers(
            ServerRecord.newBuilder()
                .setDevice(device)
                .setRole(ServerRole.PRIMARY)
                .setEnabled(true)
                .setRegisteredAtMs(1_700_000_000_000L))
        .build();
  }

  static ClientBinding binding(final String clientId, final String identity) {
    return ClientBinding.newBuilder()
        .setClientId(clientId)
        .setIdentity(identity)
        .setBoundAtMs(5)
        .build();
  }

  /** {@code state} with every list ordered by key and nested services naming their community. */
  static GatewayState sorted(final GatewayState state) {
    final GatewayState.Builder out =
        state.toBuilder()
            .clearIdentities()
            .clearCommunities()
            .clearClientIds()
            .clearKeys()
            .clearPolicies();
    state.getKeysList().stream()
        .sorted(Comparator.comparing(KeyRecord::getKeyId))
        .forEach(out::addKeys);
    state.getPoliciesList().stream()
        .sorted(
            Comparator.comparing(AccessPolicy::getScopeValue)
                .thenComparing(AccessPolicy::getTarget))
        .forEach(out::addPolicies);
    state.getIdentitiesList().stream()
        .sorted(Comparator.comparing(IdentityRecord::getName))
        .forEach(out::addIdentities);
    state.getCommunitiesList().stream()
        .sorted(Comparator.comparing(CommunityRecord::getName))
        .forEach(
            c -> {
              final CommunityRecord.Builder cb = c.toBuilder().clearServices();
              c.getServicesList().stream()
                  .map(s -> s.toBuilder().setCommunity(c.getName()).build())
                  .sorted(Comparator.comparing(ServiceRecord::getName))
                  .forEach(cb::addServices);
              out.addCommunities(cb);
            });
    state.getClientIdsList().stream()
        .sorted(Comparator.comparing(ClientBinding::getClientId))
        .forEach(out::addClientIds);
    return out.build();
  }
}
