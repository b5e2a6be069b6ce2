package io.troupe.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.RemoveIdentity;
import io.troupe.router.internal.login.PasswordHasher;
import io.troupe.router.internal.login.Passwords;
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
@org.junit.jupiter.api.Timeout(60)
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

  private static final LoginConfig.Backoff PAIR = RouterFixture.LOGINS.pairBackoff();
  private static final LoginConfig.Backoff ADDRESS = RouterFixture.LOGINS.addressBackoff();

  /** Logins whose hashes wait in {@code executor} until the test runs them. */
  private Logins held(final List<Runnable> executor, final LoginConfig config) {
    final Passwords counting =
        new Passwords(
            config.hashIterations(),
            (password, salt, iterations) -> {
              hashes.incrementAndGet();
              return PasswordHasher.hash(password, salt, iterations);
            });
    return new Logins(f.router, config, f.clock, executor::add, counting);
  }

  /** Runs what {@code executor} holds, in order, until {@code login} is done. */
  private static void runUntil(
      final List<Runnable> executor, final CompletableFuture<LoginResult> login) {
    while (!login.isDone() && !executor.isEmpty()) {
      executor.remove(0).run();
    }
  }

  private static void await(final java.util.concurrent.CountDownLatch latch) {
    try {
      latch.await();
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void addGenerated(final String name, final String secret) {
    add(name, IdentityRole.DEVICE, secret);
  }

  private CompletableFuture<LoginResult> attempt(
      final String clientId, final String user, final String password, final String address) {
    return logins.login(
        new LoginAttempt(
            clientId,
            Optional.of(user),
            Optional.of(password.getBytes(StandardCharsets.UTF_8)),
            address));
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
  void lockout_fiveWrongFromEachOfSixAddressesAndOneMorePerLapse_neverRefusesTheRightPassword() {
    // given: no cache, so that every right login is checked afresh
    logins = logins(new LoginConfig(1_000, 1, 1_000, 16, PAIR, ADDRESS, Duration.ZERO, 0));
    for (int a = 0; a < 6; a++) {
      for (int i = 0; i < 5; i++) {
        login("c", "admin", "wrong", "192.0.2." + a);
      }
    }
    int admitted = 0;
    for (int round = 0; round < 100; round++) {
      // when: one more guess from each attacking address whenever its block lapses
      f.clock.advance(Duration.ofSeconds(1L << Math.min(round, 10)));
      for (int a = 0; a < 6; a++) {
        login("c", "admin", "wrong", "192.0.2." + a);
      }
      // then: the right password from an address without failures gets in every time
      if (login("admin-cli", "admin", "s3cret", THERE).isAdmitted()) {
        admitted++;
      }
    }
    assertThat(admitted).isEqualTo(100);
  }

  @Test
  void lockout_whileTheIdentityIsGuessedAtFromManyAddresses_aRecentlyVerifiedCredentialPasses() {
    assertThat(login("bob-rr", "bob", "pw-bob").isAdmitted()).isTrue();
    for (int i = 0; i < 200; i++) {
      login("c", "bob", "wrong-" + i, "198.51.100." + i);
    }
    final int before = hashes.get();
    assertThat(login("bob-rr", "bob", "pw-bob", THERE).isAdmitted()).isTrue();
    assertThat(hashes).hasValue(before);
  }

  @Test
  void guesses_atOneIdentityFromManyAddresses_runOneAtATimeAndTakeTurnsWithOtherLogins() {
    // given: hashes held until the test runs them
    final List<Runnable> executor = new ArrayList<>();
    logins = held(executor, RouterFixture.LOGINS.withHashQueue(1, 1_000, 16));
    final List<CompletableFuture<LoginResult>> guesses = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      guesses.add(attempt("c", "bob", "guess-" + i, "198.51.100." + i));
    }
    // when
    final CompletableFuture<LoginResult> alice = attempt("alice-1", "alice", "pw-alice", HERE);
    // then: one of bob's hashes ran, 16 wait, the rest are told the gateway is busy
    assertThat(guesses.stream().filter(g -> g.isDone()).count()).isEqualTo(100 - 17);
    assertThat(guesses.get(99).join().status()).isEqualTo(Status.UNAVAILABLE);
    runUntil(executor, alice); // bob's first guess, then alice's turn
    assertThat(alice.join().isAdmitted()).isTrue();
    assertThat(hashes).hasValue(2);
  }

  @Test
  void flood_ofUnknownNamesFromRotatingAddresses_doesNotKeepARealUserOut() {
    final List<Runnable> executor = new ArrayList<>();
    logins = held(executor, RouterFixture.LOGINS.withHashQueue(1, 1_000, 16));
    for (int i = 0; i < 1_000; i++) {
      attempt("c", "user-" + i, "guess", "203.0.113." + (i % 250));
    }
    final CompletableFuture<LoginResult> alice = attempt("alice-1", "alice", "pw-alice", HERE);
    runUntil(executor, alice);
    assertThat(alice.join().isAdmitted()).isTrue();
    assertThat(hashes).hasValue(2);
  }

  @Test
  void fiveHundredLogins_ofOneIdentityAtOnce_areAllAdmittedAfterOneHash() throws Exception {
    // given: real threads; the one hash waits until every login has arrived
    final java.util.concurrent.CountDownLatch arrived =
        new java.util.concurrent.CountDownLatch(500);
    final Passwords gated =
        new Passwords(
            1_000,
            (password, salt, iterations) -> {
              hashes.incrementAndGet();
              await(arrived);
              return PasswordHasher.hash(password, salt, iterations);
            });
    final java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      logins = new Logins(f.router, RouterFixture.LOGINS, f.clock, pool, gated);
      final List<CompletableFuture<LoginResult>> results =
          java.util.Collections.synchronizedList(new ArrayList<>());
      final List<Thread> clients = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        final String clientId = "bob-" + i;
        final Thread client =
            new Thread(
                () -> {
                  results.add(attempt(clientId, "bob", "pw-bob", HERE));
                  arrived.countDown();
                });
        client.start();
        clients.add(client);
      }
      for (final Thread t : clients) {
        t.join();
      }
      // then
      assertThat(results).hasSize(500);
      for (final CompletableFuture<LoginResult> r : results) {
        assertThat(r.get(10, java.util.concurrent.TimeUnit.SECONDS).isAdmitted()).isTrue();
      }
      assertThat(hashes).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void generatedSecret_isCheckedByTheFastHashWithoutPbkdf2() {
    final String secret = PasswordHasher.newPassword();
    addGenerated("dev2", secret);
    logins = logins(new LoginConfig(1_000, 1, 1_000, 16, PAIR, ADDRESS, Duration.ZERO, 0));
    assertThat(login("dev2", "dev2", secret).isAdmitted()).isTrue();
    assertThat(login("dev2", "dev2", secret).isAdmitted()).isTrue();
    assertThat(hashes).hasValue(0);
    assertThat(f.router.inRegistry(r -> r.identities().get("dev2"), x -> false).getScheme())
        .isEqualTo(io.troupe.proto.v1.HashScheme.GENERATED_HMAC_SHA256);
  }

  @Test
  void generatedSecret_savedWithPbkdf2BeforeThisVersion_movesToTheFastHashAndStaysAfterRestart() {
    // given: a record as today's main writes it, PBKDF2 over a generated secret
    final String secret = PasswordHasher.newPassword();
    final byte[] salt = PasswordHasher.newSalt();
    final io.troupe.proto.v1.IdentityRecord legacy =
        io.troupe.proto.v1.IdentityRecord.newBuilder()
            .setName("dev3")
            .setRole(IdentityRole.DEVICE)
            .setSalt(com.google.protobuf.ByteString.copyFrom(salt))
            .setIterations(1_000)
            .setHash(
                com.google.protobuf.ByteString.copyFrom(
                    PasswordHasher.hash(secret.toCharArray(), salt, 1_000)))
            .build();
    f.router.inRegistry(
        r -> {
          r.putIdentity(legacy);
          return null;
        },
        x -> true);
    assertThat(login("dev3", "dev3", secret).isAdmitted()).isTrue();
    assertThat(hashes).hasValue(1);
    // when
    f.restart();
    logins = logins(RouterFixture.LOGINS);
    // then
    assertThat(login("dev3", "dev3", secret).isAdmitted()).isTrue();
    assertThat(login("dev3", "dev3", "wrong").isAdmitted()).isFalse();
    assertThat(hashes).hasValue(2); // only the wrong password's (human-shaped) check was slow
  }

  @Test
  void cost_dependsOnThePasswordPresentedNotOnWhetherTheNameExists() {
    final Passwords p = Passwords.pbkdf2(1_000);
    final io.troupe.proto.v1.IdentityRecord human =
        p.record("carol", IdentityRole.CONSUMER, "correct horse");
    final io.troupe.proto.v1.IdentityRecord device =
        p.record("dev9", IdentityRole.DEVICE, PasswordHasher.newPassword());
    final byte[] typed = "guess".getBytes(StandardCharsets.UTF_8);
    assertThat(p.cost("carol", human, typed)).isEqualTo(Passwords.Cost.SLOW);
    assertThat(p.cost("dev9", device, typed)).isEqualTo(Passwords.Cost.SLOW);
    assertThat(p.cost("nobody", null, typed)).isEqualTo(Passwords.Cost.SLOW);
    final java.util.Set<Passwords.Cost> unknown = new java.util.HashSet<>();
    for (int i = 0; i < 64; i++) {
      unknown.add(
          p.cost(
              "nobody-" + i, null, PasswordHasher.newPassword().getBytes(StandardCharsets.UTF_8)));
    }
    assertThat(unknown).containsExactlyInAnyOrder(Passwords.Cost.FAST, Passwords.Cost.SLOW);
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
    logins = held(executor, RouterFixture.LOGINS.withHashQueue(1, 1, 16));
    final List<CompletableFuture<LoginResult>> results = new ArrayList<>();
    for (final String user : List.of("bob", "alice", "dev1")) {
      results.add(attempt("c-" + user, user, "pw-" + user, HERE));
    }
    assertThat(results.get(2).join().status()).isEqualTo(Status.UNAVAILABLE);
    assertThat(results.get(2).join().reason()).contains("server busy");
    assertThat(executor).hasSize(1);
    runUntil(executor, results.get(1));
    runUntil(executor, results.get(0));
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
