package io.troupe.router.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.router.ClientIdClaim;
import io.troupe.router.ClientIdLimits;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClientIdsTest {

  private static final long LATER = ClientIds.CONNECTING_MS + 1;

  private final Set<String> identities = new HashSet<>(Set.of("alice", "bob", "dev1", "al"));

  private ClientIds ids(final int perIdentity, final int total) {
    return new ClientIds(new ClientIdLimits(16, perIdentity, total), identities::contains);
  }

  /** Bindings already made, then one claim and what it gets. */
  record Case(
      String name, List<String[]> before, String clientId, String identity, ClientIdClaim want) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> rules() {
    return List.of(
        new Case("a new id binds", List.of(), "lounge", "bob", ClientIdClaim.BOUND),
        new Case(
            "the holder uses it again",
            List.<String[]>of(new String[] {"lounge", "bob"}),
            "lounge",
            "bob",
            ClientIdClaim.HELD),
        new Case(
            "another identity is refused",
            List.<String[]>of(new String[] {"lounge", "bob"}),
            "lounge",
            "alice",
            ClientIdClaim.TAKEN),
        new Case(
            "a device's name is the device's", List.of(), "dev1", "alice", ClientIdClaim.TAKEN),
        new Case("an identity's own name binds", List.of(), "dev1", "dev1", ClientIdClaim.BOUND),
        new Case(
            "NAME-anything is NAME's before NAME used it",
            List.of(),
            "alice-rr",
            "bob",
            ClientIdClaim.TAKEN),
        new Case(
            "NAME-anything binds to NAME", List.of(), "alice-rr", "alice", ClientIdClaim.BOUND),
        new Case(
            "the longest name before a dash wins",
            List.of(),
            "al-ice-x",
            "al",
            ClientIdClaim.BOUND),
        new Case(
            "a shorter name's prefix does not take the longer's",
            List.of(),
            "alice-x",
            "al",
            ClientIdClaim.TAKEN),
        new Case(
            "a dash after no identity's name is anyone's",
            List.of(),
            "carol-rr",
            "bob",
            ClientIdClaim.BOUND),
        new Case(
            "an identity's name bound before it existed goes to it",
            List.<String[]>of(new String[] {"dev1", "alice"}),
            "dev1",
            "dev1",
            ClientIdClaim.BOUND),
        new Case(
            "NAME-anything bound by another before the rule goes to NAME",
            List.<String[]>of(new String[] {"alice-rr", "bob"}),
            "alice-rr",
            "alice",
            ClientIdClaim.BOUND),
        new Case(
            "NAME-anything bound by another before the rule is refused to that other",
            List.<String[]>of(new String[] {"alice-rr", "bob"}),
            "alice-rr",
            "bob",
            ClientIdClaim.TAKEN),
        new Case(
            "an id longer than the limit is refused",
            List.of(),
            "x".repeat(17),
            "bob",
            ClientIdClaim.TOO_LONG),
        new Case(
            "an id of exactly the limit binds",
            List.of(),
            "x".repeat(16),
            "bob",
            ClientIdClaim.BOUND));
  }

  @ParameterizedTest
  @MethodSource("rules")
  void claim_followsTheBindingRule(final Case c) {
    // bindings stored before today's rule: made while no identity's name matched
    final ClientIds before = new ClientIds(new ClientIdLimits(16, 10, 100), x -> false);
    c.before().forEach(b -> before.claim(b[0], b[1], 1));
    final ClientIds ids = ids(10, 100);
    ids.load(before.toRecords());

    assertThat(ids.claim(c.clientId(), c.identity(), 2)).isEqualTo(c.want());

    final boolean admitted = c.want().isAdmitted();
    assertThat(ids.isHeldBy(c.clientId(), c.identity())).isEqualTo(admitted);
  }

  @Test
  void isHeldBy_aBindingTheRuleGivesToAnother_isFalse() {
    final ClientIds ids = ids(10, 100);
    identities.remove("alice");
    ids.claim("alice-rr", "bob", 1);
    identities.add("alice");

    assertThat(ids.isHeldBy("alice-rr", "bob")).as("bob may not resume alice's id").isFalse();
    assertThat(ids.claim("alice-rr", "bob", 2)).isEqualTo(ClientIdClaim.TAKEN);
    assertThat(ids.holder("alice-rr")).as("a refusal changes nothing").contains("bob");
  }

  @Test
  void claim_staleNameBinding_isTakenFromTheEarlierHolder() {
    final ClientIds ids = ids(10, 100);
    identities.remove("dev1");
    ids.claim("dev1", "alice", 1);
    identities.add("dev1");

    assertThat(ids.claim("dev1", "dev1", 2)).isEqualTo(ClientIdClaim.BOUND);

    assertThat(ids.claim("dev1", "alice", 3)).isEqualTo(ClientIdClaim.TAKEN);
    assertThat(ids.countOf("alice")).isZero();
  }

  @Test
  void claim_beyondTheBound_evictsTheLeastRecentlyUsedIdleOne() {
    final ClientIds ids = ids(3, 100);
    ids.claim("a", "bob", 1);
    ids.claim("b", "bob", 2);
    ids.claim("c", "bob", 3);
    ids.claim("a", "bob", 4); // used again: b is now the least recent

    assertThat(ids.claim("d", "bob", 4 + LATER)).isEqualTo(ClientIdClaim.BOUND);

    assertThat(ids.countOf("bob")).isEqualTo(3);
    assertThat(ids.holder("b")).isEmpty();
    assertThat(ids.claim("a", "bob", 6 + LATER)).isEqualTo(ClientIdClaim.HELD);
    assertThat(ids.claim("b", "alice", 7 + LATER)).isEqualTo(ClientIdClaim.BOUND);
  }

  @Test
  void claim_atTheBoundWithEverySessionConnected_isRefusedAndEvictsNone() {
    // given: bob at his limit, every session connected
    final ClientIds ids = ids(2, 100);
    ids.claim("a", "bob", 1);
    ids.connected("a", 11);
    ids.claim("b", "bob", 2);
    ids.connected("b", 12);

    // when / then: a third id is refused, long after the logins
    assertThat(ids.claim("c", "bob", 2 + LATER)).isEqualTo(ClientIdClaim.OVER_IDENTITY_LIMIT);
    assertThat(ids.holder("a")).contains("bob");
    assertThat(ids.holder("b")).contains("bob");
    assertThat(ids.holder("c")).isEmpty();

    // once one disconnects, its binding makes room
    ids.disconnected("a", 11);
    assertThat(ids.claim("c", "bob", 3 + LATER)).isEqualTo(ClientIdClaim.BOUND);
    assertThat(ids.holder("a")).isEmpty();
    assertThat(ids.holder("b")).contains("bob");
  }

  @Test
  void claim_atTheBound_keepsALoginNotYetReportedConnected() {
    final ClientIds ids = ids(1, 100);
    ids.claim("a", "bob", 1);

    assertThat(ids.claim("b", "bob", 2)).isEqualTo(ClientIdClaim.OVER_IDENTITY_LIMIT);
    assertThat(ids.claim("b", "bob", 1 + LATER)).isEqualTo(ClientIdClaim.BOUND);
  }

  @Test
  void disconnected_freesTheBindingForEvictionAtOnce() {
    final ClientIds ids = ids(1, 100);
    ids.claim("a", "bob", 1);
    ids.connected("a", 1);
    ids.disconnected("a", 1);

    assertThat(ids.claim("b", "bob", 2)).isEqualTo(ClientIdClaim.BOUND);
    assertThat(ids.holder("a")).isEmpty();
  }

  @Test
  void disconnected_ofAReplacedConnection_keepsTheNewerOneLive() {
    final ClientIds ids = ids(1, 100);
    ids.claim("a", "bob", 1);
    ids.connected("a", 1);
    ids.connected("a", 2); // the same client id took its session over
    ids.disconnected("a", 1);

    assertThat(ids.claim("b", "bob", 1 + LATER)).isEqualTo(ClientIdClaim.OVER_IDENTITY_LIMIT);
  }

  @Test
  void claim_atTheTotal_takesOnlyTheIdentitysOwnIdleBinding() {
    // given: the gateway's total of 3 held by alice (2, connected) and bob (1, idle)
    final ClientIds ids = ids(10, 3);
    ids.claim("x1", "alice", 1);
    ids.connected("x1", 1);
    ids.claim("x2", "alice", 1);
    ids.connected("x2", 2);
    ids.claim("y1", "bob", 1);

    // then: alice is refused rather than evict bob's; bob replaces his own idle one
    assertThat(ids.claim("x3", "alice", 1 + LATER)).isEqualTo(ClientIdClaim.OVER_TOTAL_LIMIT);
    assertThat(ids.holder("y1")).contains("bob");
    assertThat(ids.claim("y2", "bob", 1 + LATER)).isEqualTo(ClientIdClaim.BOUND);
    assertThat(ids.holder("y1")).isEmpty();
    assertThat(ids.size()).isEqualTo(3);
  }

  @Test
  void forget_freesEveryIdOfTheIdentityAndNoOther() {
    final ClientIds ids = ids(10, 100);
    ids.claim("b1", "bob", 1);
    ids.claim("b2", "bob", 1);
    ids.claim("a1", "alice", 1);

    ids.forget("bob");

    assertThat(ids.countOf("bob")).isZero();
    assertThat(ids.claim("b1", "alice", 2)).isEqualTo(ClientIdClaim.BOUND);
    assertThat(ids.isHeldBy("a1", "alice")).isTrue();
  }

  @Test
  void toRecordsThenLoad_keepsBindingsAndTheirRecency() {
    final ClientIds ids = ids(2, 100);
    ids.claim("a", "bob", 1);
    ids.claim("b", "bob", 2);
    ids.claim("a", "bob", 3);

    final ClientIds loaded = ids(2, 100);
    loaded.load(ids.toRecords());
    loaded.claim("c", "bob", 4);

    assertThat(loaded.holder("a")).contains("bob");
    assertThat(loaded.holder("b")).isEmpty();
    assertThat(ids.toRecords().get(1).getBoundAtMs()).isEqualTo(1);
  }

  @Test
  void load_beyondTodaysLimits_keepsEveryStoredBindingUntilTheIdentityBindsAnother() {
    final ClientIds wide = ids(5, 100);
    for (final String id : List.of("a", "b", "c", "d")) {
      wide.claim(id, "bob", 1);
    }
    final ClientIds narrow = ids(2, 100);
    narrow.load(wide.toRecords());
    assertThat(narrow.countOf("bob")).isEqualTo(4);

    assertThat(narrow.claim("a", "bob", 2)).isEqualTo(ClientIdClaim.HELD);
    assertThat(narrow.claim("e", "bob", 3)).isEqualTo(ClientIdClaim.BOUND);
    assertThat(narrow.holder("b")).as("the least recently used went").isEmpty();
  }

  @Test
  void dropUnusable_dropsOverLongAndMisboundBindingsOnly() {
    final ClientIds earlier = new ClientIds(new ClientIdLimits(60_000, 10, 100), x -> false);
    earlier.claim("b".repeat(17), "bob", 1);
    earlier.claim("alice-rr", "bob", 1);
    earlier.claim("dev1", "alice", 1);
    earlier.claim("lounge", "bob", 1);
    earlier.claim("bob-rr", "bob", 1);
    final ClientIds ids = ids(10, 100);
    ids.load(earlier.toRecords());

    assertThat(ids.dropUnusable()).isEqualTo(3);

    assertThat(ids.toRecords())
        .extracting(b -> b.getClientId())
        .containsExactlyInAnyOrder("lounge", "bob-rr");
  }
}
