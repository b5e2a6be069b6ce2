package io.troupe.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.ClientBinding;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.IdentityRole;
import org.junit.jupiter.api.Test;

/** What the router makes at start of client-id bindings an earlier gateway stored. */
class ClientIdStoreTest {

  @Test
  void start_onAStoreWithUnusableBindings_deletesThemFromTheStoreAndKeepsTheRest() {
    // given: what an earlier gateway stored (a 60,000-character id, bob's alice-rr)
    final MemoryStateStore store = new MemoryStateStore();
    final String huge = "b".repeat(60_000);
    store.write(
        StateChange.builder()
            .putIdentity(identity("alice"))
            .putIdentity(identity("bob"))
            .putClientId(binding(huge, "bob"))
            .putClientId(binding("alice-rr", "bob"))
            .putClientId(binding("lounge", "bob"))
            .build());

    // when
    final GatewayRouter router =
        new GatewayRouter(RouterConfig.defaults(), RouterFixture.LOGINS, new MutableClock(), store);

    // then
    assertThat(store.changes).hasSize(2);
    assertThat(store.changes.get(1).removedClientIds()).containsExactlyInAnyOrder(huge, "alice-rr");
    assertThat(store.load().orElseThrow().getClientIdsList())
        .extracting(ClientBinding::getClientId)
        .containsExactly("lounge");
    assertThat(router.claimClientId("alice-rr", "alice", 1)).isEqualTo(ClientIdClaim.BOUND);
    assertThat(router.claimClientId("lounge", "bob", 2)).isEqualTo(ClientIdClaim.HELD);
  }

  private static IdentityRecord identity(final String name) {
    return IdentityRecord.newBuilder().setName(name).setRole(IdentityRole.CONSUMER).build();
  }

  private static ClientBinding binding(final String clientId, final String identity) {
    return ClientBinding.newBuilder().setClientId(clientId).setIdentity(identity).build();
  }
}
