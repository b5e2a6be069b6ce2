package io.troupe.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.RemoveIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Logins: passwords, backoff, cache, hash upgrades, busy refusals and client-id bindings. */
class LoginsTest {

  private static final String HERE = "10.0.0.1";
  private static final String THERE = "10.0.0.2";

  private final RouterFixture f = new RouterFixture();
  private final Principal admin = new Principal("admin", IdentityRole.ADMIN, "admin-cli");
  private final AtomicInteger hashes = new AtomicInteger();
  private final List<Integer> iterationsSeen = new ArrayList<>();
  private Logins logins;

  @BeforeEach
  void identities() {
    f.router.addAdmin("admin", "s3cret");
    add("bob", IdentityRole.CONSUMER, "pw-bob");
    add("alice", IdentityRole.CONSUMER, "pw-alice");
    add("dev1", IdentityRole.DEVICE, "pw-dev1");
    logins = logins(RouterFixture.LOGINS);
  }

  private Logins logins(final LoginConfig config) {
    final Passwords counting =
        new Passwords(
            config.hashIterations(),
            (password, salt, iterations) -> {
              hashes.incrementAndGet();
              iterationsSeen.add(iterations);
              return PasswordHasher.hash(password, salt, iterations);
            });
    return new Logins(f.router, config, f.clock, Runnable::run, counting);
  }

  private void add(final String name, final IdentityRole role, final String password) {
    final GatewayRequest add =
        GatewayRequest.newBuilder()
            .setAddIdentity(
                AddIdentity.newBuilder().setName(name).setRole(role).setPassword(password))
            .build();
    assertThat(f.api(admin, add).getStatus()).isEqualTo(201);
  }

  private LoginResult login(final String clientId, final String user, final String password) {
    return login(clientId, user, password, HERE);
  }

  private LoginResult login(
      final String clientId, final String user, final String password, final String address) {
    return logins
        .login(
            new LoginAttempt(
                clientId,
                Optional.of(user),
                Optional.of(password.getBytes(StandardCharsets.UTF_8)),
                address))
        .join();
  }

  @Test
  void login_withABridgedClientId_isRefusedBeforeAnyHash() {
    final LoginResult r = login(Logins.BRIDGED_CLIENT_PREFIX + "coap-1", "bob", "pw-bob");
    assertThat(r.status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(hashes).hasValue(0);
  }

  @Test
  void bridged_knownIdentity_hasItsRole_unknownHasNone() {
    final String id = Logins.BRIDGED_CLIENT_PREFIX + "coap-2";
    assertThat(logins.bridged("dev1", id)).contains(new Principal("dev1", IdentityRole.DEVICE, id));
    assertThat(logins.bridged("nobody", id)).isEmpty();
    assertThat(logins.exists("alice")).isTrue();
    assertThat(logins.exists("nobody")).isFalse();
  }

  @Test
  void login_unknownUser_hashesAgainstTheDummyAtTheSameCostAndReadsLikeAWrongPassword() {
    final LoginResult unknown = login("x1", "nobody", "guess");
    assertThat(hashes).hasValue(1);
    final LoginResult wrong = login("x2", "bob", "guess");
    assertThat(hashes).hasValue(2);
    assertThat(iterationsSeen).containsExactly(1_000, 1_000);
    assertThat(unknown.status()).isEqualTo(wrong.status()).isEqualTo(Status.UNAUTHORIZED);
    assertThat(unknown.reason()).isEqualTo(wrong.reason()).isEqualTo("bad user name or password");
  }

  @Test
  void login_afterFiveFailures_refusesEvenTheRightPasswordWithoutHashingUntilTheWindowEnds() {
    for (int i = 0; i < 5; i++) {
      assertThat(login("bob-rr", "bob", "wrong").status()).isEqualTo(Status.UNAUTHORIZED);
    }
    final int before = hashes.get();

    final LoginResult refused = login("bob-rr", "bob", "pw-bob");

    assertThat(refused.status()).isEqualTo(Status.TOO_MANY_REQUESTS);
    assertThat(refused.reason()).isEqualTo("too many failed logins; retry in 1 s");
    assertThat(hashes).hasValue(before);
    assertThat(login("bob-rr", "bob", "pw-bob", THERE).isAdmitted()).isTrue();
    f.clock.advance(Duration.ofSeconds(1));
    assertThat(login("bob-rr", "bob", "pw-bob").isAdmitted()).isTrue();
  }

  @Test
  void backoff_doublesWithEachFurtherFailureAndAgesOut() {
    // failures in a row -> the window each opens
    final String[] windows = {"1", "2", "4", "8"};
    for (int i = 0; i < 4; i++) {
      login("c", "bob", "wrong");
    }
    for (final String window : windows) {
      login("c", "bob", "wrong");
      assertThat(login("c", "bob", "pw-bob").reason()).endsWith("retry in " + window + " s");
      f.clock.advance(Duration.ofSeconds(Long.parseLong(window)));
    }
    f.clock.advance(Duration.ofMinutes(16));
    login("c", "bob", "wrong");
    assertThat(login("c", "bob", "pw-bob").isAdmitted()).isTrue();
  }

  @Test
  void backoff_ofOneAddressAcrossNames_refusesThatAddressOnly() {
    for (int i = 0; i < 30; i++) {
      login("c", "user" + i, "guess");
    }
    assertThat(login("c", "alice", "pw-alice").status()).isEqualTo(Status.TOO_MANY_REQUESTS);
    assertThat(login("c", "alice", "pw-alice", THERE).isAdmitted()).isTrue();
  }

  @Test
  void backoff_ofOneIdentityFromManyAddresses_isShort() {
    for (int i = 0; i < 30; i++) {
      login("c", "bob", "wrong", "192.0.2." + i);
    }
    assertThat(login("c", "bob", "pw-bob", THERE).status()).isEqualTo(Status.TOO_MANY_REQUESTS);
    f.clock.advance(Duration.ofMinutes(1));
    assertThat(login("c", "bob", "pw-bob", THERE).isAdmitted()).isTrue();
  }

  @Test
  void login_again_isCheckedByTheCacheUntilItExpires() {
    assertThat(login("c", "bob", "pw-bob").isAdmitted()).isTrue();
    assertThat(login("c", "bob", "pw-bob").isAdmitted()).isTrue();
    assertThat(hashes).hasValue(1);
    assertThat(login("c", "bob", "wrong").isAdmitted()).isFalse();
    assertThat(hashes).hasValue(2);
    f.clock.advance(Duration.ofMinutes(11));
    assertThat(login("c", "bob", "pw-bob").isAdmitted()).isTrue();
    assertThat(hashes).hasValue(3);
  }

  @Test
  void login_withAnOutdatedHash_upgradesAndSavesIt() {
    logins = logins(RouterFixture.LOGINS.withHashIterations(2_000));
    assertThat(login("c", "bob", "pw-bob").isAdmitted()).isTrue();
    assertThat(iterationsSeen).containsExactly(1_000, 2_000);
    f.restart();
    logins = logins(RouterFixture.LOGINS.withHashIterations(2_000));
    assertThat(login("c", "bob", "pw-bob").isAdmitted()).isTrue();
    assertThat(iterationsSeen).containsExactly(1_000, 2_000, 2_000);
  }

  @Test
  void login_beyondTheQueue_isRefusedAsBusyWithoutHashing() {
    final List<Runnable> executor = new ArrayList<>();
    final LoginConfig oneAndOne =
        new LoginConfig(
            1_000,
            1,
            1,
            RouterFixture.LOGINS.pairBackoff(),
            RouterFixture.LOGINS.addressBackoff(),
            RouterFixture.LOGINS.identityBackoff(),
            Duration.ofMinutes(1),
            10);
    logins = new Logins(f.router, oneAndOne, f.clock, executor::add);
    final List<CompletableFuture<LoginResult>> results = new ArrayList<>();
    for (final String user : List.of("bob", "alice", "dev1")) {
      results.add(
          logins.login(
              new LoginAttempt(
                  "c-" + user,
                  Optional.of(user),
                  Optional.of(("pw-" + user).getBytes(StandardCharsets.UTF_8)),
                  HERE)));
    }
    assertThat(results.get(2).join().status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(results.get(2).join().reason()).contains("server busy");
    assertThat(executor).hasSize(1);
    executor.remove(0).run();
    executor.remove(0).run();
    assertThat(results.get(0).join().isAdmitted()).isTrue();
    assertThat(results.get(1).join().isAdmitted()).isTrue();
  }

  @Test
  void clientId_boundToBob_isRefusedToAliceAndNewBindingsStartClean() {
    assertThat(logins.mayResumeSession("bob-rr", "bob")).isFalse();
    final LoginResult bob = login("bob-rr", "bob", "pw-bob");
    assertThat(bob.newBinding()).isTrue();
    assertThat(logins.mayResumeSession("bob-rr", "bob")).isTrue();
    assertThat(login("bob-rr", "bob", "pw-bob").newBinding()).isFalse();

    final LoginResult alice = login("bob-rr", "alice", "pw-alice");
    assertThat(alice.status()).isEqualTo(Status.FORBIDDEN);
    assertThat(alice.reason()).contains("'bob-rr' belongs to another identity");
    assertThat(login("dev1", "alice", "pw-alice").status()).isEqualTo(Status.FORBIDDEN);
    assertThat(logins.mayResumeSession("bob-rr", "alice")).isFalse();
  }

  @Test
  void clientIdBinding_survivesARestartAndIsFreedWhenTheIdentityIsRemoved() {
    login("bob-rr", "bob", "pw-bob");
    assertThat(f.store.load().orElseThrow().getClientIdsList())
        .anySatisfy(
            b -> assertThat(b.getClientId() + "=" + b.getIdentity()).isEqualTo("bob-rr=bob"));

    f.restart();
    logins = logins(RouterFixture.LOGINS);
    assertThat(login("bob-rr", "alice", "pw-alice").status()).isEqualTo(Status.FORBIDDEN);

    final GatewayRequest remove =
        GatewayRequest.newBuilder()
            .setRemoveIdentity(RemoveIdentity.newBuilder().setName("bob"))
            .build();
    assertThat(f.api(admin, remove).getStatus()).isEqualTo(200);
    assertThat(login("bob-rr", "alice", "pw-alice").newBinding()).isTrue();
  }
}
