package io.troupe.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.router.ClientIds.Claim;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClientIdsTest {

  private static final Set<String> IDENTITIES = Set.of("alice", "bob", "dev1");
  private static final Predicate<String> IS_IDENTITY = IDENTITIES::contains;

  /** A binding already made, then one claim and what it gets. */
  record Case(String name, List<String[]> before, String clientId, String identity, Claim want) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> rules() {
    return List.of(
        new Case("a new id binds", List.of(), "bob-rr", "bob", Claim.BOUND),
        new Case(
            "the holder uses it again",
            List.<String[]>of(new String[] {"bob-rr", "bob"}),
            "bob-rr",
            "bob",
            Claim.HELD),
        new Case(
            "another identity is refused",
            List.<String[]>of(new String[] {"bob-rr", "bob"}),
            "bob-rr",
            "alice",
            Claim.TAKEN),
        new Case("a device's name is the device's", List.of(), "dev1", "alice", Claim.TAKEN),
        new Case("an identity's own name binds", List.of(), "dev1", "dev1", Claim.BOUND),
        new Case(
            "an identity's name bound before it existed goes to it",
            List.<String[]>of(new String[] {"dev1", "alice"}),
            "dev1",
            "dev1",
            Claim.BOUND));
  }

  @ParameterizedTest
  @MethodSource("rules")
  void claim_followsTheBindingRule(final Case c) {
    final ClientIds ids = new ClientIds(10);
    c.before().forEach(b -> ids.claim(b[0], b[1], x -> false, 1));
    assertThat(ids.claim(c.clientId(), c.identity(), IS_IDENTITY, 2)).isEqualTo(c.want());
    final boolean admitted = c.want() != Claim.TAKEN;
    assertThat(ids.isHeldBy(c.clientId(), c.identity())).isEqualTo(admitted);
  }

  @Test
  void claim_staleNameBinding_isTakenFromTheEarlierHolder() {
    final ClientIds ids = new ClientIds(10);
    ids.claim("dev1", "alice", x -> false, 1);
    ids.claim("dev1", "dev1", IS_IDENTITY, 2);
    assertThat(ids.claim("dev1", "alice", IS_IDENTITY, 3)).isEqualTo(Claim.TAKEN);
    assertThat(ids.countOf("alice")).isZero();
  }

  @Test
  void claim_beyondTheBound_evictsTheLeastRecentlyUsed() {
    final ClientIds ids = new ClientIds(3);
    ids.claim("a", "bob", IS_IDENTITY, 1);
    ids.claim("b", "bob", IS_IDENTITY, 2);
    ids.claim("c", "bob", IS_IDENTITY, 3);
    ids.claim("a", "bob", IS_IDENTITY, 4); // used again: b is now the least recent

    assertThat(ids.claim("d", "bob", IS_IDENTITY, 5)).isEqualTo(Claim.BOUND);

    assertThat(ids.countOf("bob")).isEqualTo(3);
    assertThat(ids.holder("b")).isEmpty();
    assertThat(ids.claim("a", "bob", IS_IDENTITY, 6)).isEqualTo(Claim.HELD);
    assertThat(ids.claim("b", "alice", IS_IDENTITY, 7)).isEqualTo(Claim.BOUND);
  }

  @Test
  void forget_freesEveryIdOfTheIdentityAndNoOther() {
    final ClientIds ids = new ClientIds(10);
    ids.claim("bob-1", "bob", IS_IDENTITY, 1);
    ids.claim("bob-2", "bob", IS_IDENTITY, 1);
    ids.claim("alice-1", "alice", IS_IDENTITY, 1);

    ids.forget("bob");

    assertThat(ids.countOf("bob")).isZero();
    assertThat(ids.claim("bob-1", "alice", IS_IDENTITY, 2)).isEqualTo(Claim.BOUND);
    assertThat(ids.isHeldBy("alice-1", "alice")).isTrue();
  }

  @Test
  void toRecordsThenLoad_keepsBindingsAndTheirRecency() {
    final ClientIds ids = new ClientIds(2);
    ids.claim("a", "bob", IS_IDENTITY, 1);
    ids.claim("b", "bob", IS_IDENTITY, 2);
    ids.claim("a", "bob", IS_IDENTITY, 3);

    final ClientIds loaded = new ClientIds(2);
    loaded.load(ids.toRecords());
    loaded.claim("c", "bob", IS_IDENTITY, 4);

    assertThat(loaded.holder("a")).contains("bob");
    assertThat(loaded.holder("b")).isEmpty();
    assertThat(ids.toRecords().get(1).getBoundAtMs()).isEqualTo(1);
  }
}
