package io.troupe.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.troupe.contract.CoapKeys;
import io.troupe.contract.KeyAuth;
import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.AuthProof;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.ResetIdentity;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Logins by key and by machine key pair over MQTT 5 enhanced authentication (R13). */
class KeyLoginsTest {

  private static final CoapKeys KEYS = CoapKeys.of(new byte[32]);
  private static final String HERE = "10.0.0.1";

  private final RouterFixture f = new RouterFixture();
  private final GatewayRouter router =
      new GatewayRouter(f.config, RouterFixture.LOGINS, f.clock, f.store, Optional.of(KEYS));
  private final Principal admin = new Principal("admin", IdentityRole.ADMIN, "admin-cli");
  private final Logins logins = new Logins(router, RouterFixture.LOGINS, f.clock, Runnable::run);
  private final KeyLogins keyLogins = new KeyLogins(logins, KEYS);
  private final KeyPair machine = KeyAuth.newMachineKeyPair();
  private final KeyPair other = KeyAuth.newMachineKeyPair();

  @BeforeEach
  void identities() {
    router.addAdmin("admin", "s3cret");
    router.onApi(
        admin,
        GatewayRequest.newBuilder()
            .setAddIdentity(
                AddIdentity.newBuilder()
                    .setName("bob")
                    .setRole(IdentityRole.CONSUMER)
                    .setPassword("pw-bob"))
            .build()
            .toByteString());
  }

  private KeyLogins.Challenge challenge(final String method, final String user) {
    final KeyLogins.Result started =
        keyLogins.start(
            new KeyLogins.Attempt(method, "bob-1", Optional.of(user), KeyAuth.nonce(16), HERE));
    assertThat(started.refusal()).isEmpty();
    return started.challenge().orElseThrow();
  }

  private static byte[] bytesOf(final KeyLogins.Challenge c) {
    return KeyAuth.challenge(
        c.attempt().method(),
        c.attempt().userName().orElseThrow(),
        c.attempt().clientId(),
        c.serverNonce(),
        c.attempt().clientNonce());
  }

  private static byte[] keyProof(final String key, final KeyLogins.Challenge c) {
    return AuthProof.newBuilder()
        .setMac(ByteString.copyFrom(KeyAuth.mac(key, bytesOf(c))))
        .build()
        .toByteArray();
  }

  private static byte[] machineProof(
      final String key, final KeyPair pair, final KeyLogins.Challenge c) {
    return AuthProof.newBuilder()
        .setMac(ByteString.copyFrom(KeyAuth.mac(key, bytesOf(c))))
        .setMachinePublicKey(ByteString.copyFrom(pair.getPublic().getEncoded()))
        .setMachineSignature(ByteString.copyFrom(KeyAuth.sign(pair.getPrivate(), bytesOf(c))))
        .build()
        .toByteArray();
  }

  private LoginResult keyLogin(final String key) {
    final KeyLogins.Challenge c = challenge(KeyAuth.KEY, "bob");
    return keyLogins.answer(c, keyProof(key, c));
  }

  private LoginResult machineLogin(final KeyPair pair) {
    return machineLogin(KEYS.keyOf("bob"), pair);
  }

  private LoginResult machineLogin(final String key, final KeyPair pair) {
    final KeyLogins.Challenge c = challenge(KeyAuth.MACHINE, "bob");
    return keyLogins.answer(c, machineProof(key, pair, c));
  }

  private LoginResult passwordLogin(final String password) {
    return logins
        .login(
            new LoginAttempt(
                "bob-1",
                Optional.of("bob"),
                Optional.of(password.getBytes(StandardCharsets.UTF_8)),
                HERE))
        .join();
  }

  @Test
  void key_right_isAdmittedAsTheIdentityWithItsClientId() {
    final LoginResult r = keyLogin(KEYS.keyOf("bob"));

    assertThat(r.isAdmitted()).isTrue();
    assertThat(r.principal()).contains(new Principal("bob", IdentityRole.CONSUMER, "bob-1"));
  }

  @Test
  void key_wrong_isRefusedWith401AsAWrongPasswordIs() {
    final LoginResult r = keyLogin(KEYS.keyOf("alice"));

    assertThat(r.status()).isEqualTo(Status.UNAUTHORIZED);
    assertThat(r.reason()).isEqualTo("bad user name or key");
  }

  @Test
  void key_ofAnUnknownIdentity_readsLikeAWrongKey() {
    final KeyLogins.Challenge c = challenge(KeyAuth.KEY, "nobody");
    final LoginResult r = keyLogins.answer(c, keyProof(KEYS.keyOf("nobody"), c));

    assertThat(r.status()).isEqualTo(Status.UNAUTHORIZED);
    assertThat(r.reason()).isEqualTo("bad user name or key");
  }

  @Test
  void proof_replayedToAnotherChallenge_isRefused() {
    final KeyLogins.Challenge first = challenge(KeyAuth.KEY, "bob");
    final byte[] proof = keyProof(KEYS.keyOf("bob"), first);
    assertThat(keyLogins.answer(first, proof).isAdmitted()).isTrue();

    final KeyLogins.Challenge second = challenge(KeyAuth.KEY, "bob");
    final LoginResult replayed = keyLogins.answer(second, proof);

    assertThat(replayed.status()).isEqualTo(Status.UNAUTHORIZED);
  }

  @Test
  void proof_tamperedOrMalformed_isRefused() {
    final KeyLogins.Challenge c = challenge(KeyAuth.KEY, "bob");
    final byte[] proof = keyProof(KEYS.keyOf("bob"), c);
    proof[proof.length - 1] ^= 1;

    assertThat(keyLogins.answer(c, proof).status()).isEqualTo(Status.UNAUTHORIZED);
    assertThat(keyLogins.answer(c, new byte[] {(byte) 0xff, 1, 2}).status())
        .isEqualTo(Status.UNAUTHORIZED);
  }

  @Test
  void proof_forAnotherClientId_isRefused() {
    final KeyLogins.Challenge c = challenge(KeyAuth.KEY, "bob");
    final byte[] forOther =
        KeyAuth.challenge(KeyAuth.KEY, "bob", "bob-2", c.serverNonce(), c.attempt().clientNonce());
    final byte[] proof =
        AuthProof.newBuilder()
            .setMac(ByteString.copyFrom(KeyAuth.mac(KEYS.keyOf("bob"), forOther)))
            .build()
            .toByteArray();

    assertThat(keyLogins.answer(c, proof).status()).isEqualTo(Status.UNAUTHORIZED);
  }

  @Test
  void wrongKeys_countForTheSameBackoffAsWrongPasswords() {
    assertThat(keyLogin("wrong").status()).isEqualTo(Status.UNAUTHORIZED);
    Optional<LoginResult> refused = Optional.empty();
    for (int i = 0; i < 10 && refused.isEmpty(); i++) {
      final KeyLogins.Result started =
          keyLogins.start(
              new KeyLogins.Attempt(KeyAuth.KEY, "bob-1", Optional.of("bob"), new byte[16], HERE));
      refused = started.refusal();
      started.challenge().ifPresent(c -> keyLogins.answer(c, keyProof("wrong", c)));
    }

    assertThat(refused)
        .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(Status.TOO_MANY_REQUESTS));
    assertThat(passwordLogin("pw-bob").status()).isEqualTo(Status.TOO_MANY_REQUESTS);
  }

  @Test
  void start_unknownMethodOrShortNonceOrNoUser_isRefused() {
    assertThat(
            keyLogins
                .start(
                    new KeyLogins.Attempt(
                        "SCRAM-SHA-1", "c", Optional.of("bob"), new byte[16], HERE))
                .refusal())
        .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(Status.BAD_REQUEST));
    assertThat(
            keyLogins
                .start(
                    new KeyLogins.Attempt(KeyAuth.KEY, "c", Optional.of("bob"), new byte[4], HERE))
                .refusal())
        .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(Status.BAD_REQUEST));
    assertThat(
            keyLogins
                .start(
                    new KeyLogins.Attempt(KeyAuth.KEY, "c", Optional.empty(), new byte[16], HERE))
                .refusal())
        .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(Status.UNAUTHORIZED));
  }

  @Test
  void machine_firstLogin_recordsThePublicKeyAndSavesIt() {
    final LoginResult r = machineLogin(machine);

    assertThat(r.isAdmitted()).isTrue();
    assertThat(
            f.store.load().orElseThrow().getIdentitiesList().stream()
                .filter(i -> i.getName().equals("bob"))
                .findFirst()
                .orElseThrow()
                .getMachinePublicKey()
                .toByteArray())
        .isEqualTo(machine.getPublic().getEncoded());
    assertThat(machineLogin(machine).isAdmitted()).isTrue();
  }

  @Test
  void machine_bound_refusesAnotherKeyPairWithAReason() {
    machineLogin(machine);

    final LoginResult r = machineLogin(other);

    assertThat(r.status()).isEqualTo(Status.FORBIDDEN);
    assertThat(r.reason()).contains("bound to another machine");
  }

  @Test
  void machine_bound_refusesASignatureOfAnotherKeyPairSentWithTheBoundPublicKey() {
    machineLogin(machine);
    final KeyLogins.Challenge c = challenge(KeyAuth.MACHINE, "bob");
    final byte[] proof =
        AuthProof.newBuilder()
            .setMac(ByteString.copyFrom(KeyAuth.mac(KEYS.keyOf("bob"), bytesOf(c))))
            .setMachinePublicKey(ByteString.copyFrom(machine.getPublic().getEncoded()))
            .setMachineSignature(ByteString.copyFrom(KeyAuth.sign(other.getPrivate(), bytesOf(c))))
            .build()
            .toByteArray();

    assertThat(keyLogins.answer(c, proof).status()).isEqualTo(Status.FORBIDDEN);
  }

  @Test
  void machine_bound_refusesPasswordAndKeyAloneLogins() {
    machineLogin(machine);

    final LoginResult byPassword = passwordLogin("pw-bob");
    final LoginResult byKey = keyLogin(KEYS.keyOf("bob"));

    assertThat(byPassword.status()).isEqualTo(Status.FORBIDDEN);
    assertThat(byPassword.reason()).isEqualTo("bound to its machine; log in with its machine key");
    assertThat(byKey.status()).isEqualTo(Status.FORBIDDEN);
    assertThat(byKey.reason()).isEqualTo("bound to its machine; log in with its machine key");
  }

  @Test
  void machine_withoutSignature_neitherAdmitsNorBinds() {
    final KeyLogins.Challenge c = challenge(KeyAuth.MACHINE, "bob");

    final LoginResult r = keyLogins.answer(c, keyProof(KEYS.keyOf("bob"), c));

    assertThat(r.status()).isEqualTo(Status.UNAUTHORIZED);
    assertThat(passwordLogin("pw-bob").isAdmitted()).isTrue();
  }

  @Test
  void machine_withAWrongKey_isRefusedAndBindsNothing() {
    final KeyLogins.Challenge c = challenge(KeyAuth.MACHINE, "bob");

    final LoginResult r = keyLogins.answer(c, machineProof("wrong", machine, c));

    assertThat(r.status()).isEqualTo(Status.UNAUTHORIZED);
    assertThat(machineLogin(other).isAdmitted()).isTrue();
  }

  @Test
  void reset_replacesTheKeyAndForgetsTheMachine() {
    machineLogin(machine);

    final String newKey =
        router
            .onApi(
                admin,
                GatewayRequest.newBuilder()
                    .setResetIdentity(ResetIdentity.newBuilder().setName("bob"))
                    .build()
                    .toByteString())
            .response()
            .getIdentity()
            .getKey();

    assertThat(newKey).isEqualTo(KEYS.keyOf("bob", 1));
    assertThat(keyLogin(KEYS.keyOf("bob")).status()).isEqualTo(Status.UNAUTHORIZED);
    assertThat(keyLogin(newKey).isAdmitted()).isTrue();
    assertThat(machineLogin(other).status()).isEqualTo(Status.UNAUTHORIZED);
    assertThat(machineLogin(newKey, other).isAdmitted()).isTrue();
  }
}
