package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.agent.mqtt.KeyAuthSocketFactory;
import io.troupe.agent.mqtt.NoDelaySocketFactory;
import io.troupe.contract.CoapKeys;
import io.troupe.contract.KeyAuth;
import io.troupe.proto.v1.IdentityRole;
import java.security.KeyPair;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Logins by key and by machine key pair over MQTT 5 enhanced authentication, with real Paho clients
 * against the shared gateway ({@link SharedGateway}): every identity and client id starts with
 * {@code kl-}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyLoginIT {

  private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
  private static final int NOT_AUTHORIZED = 0x87;

  private static GatewayFixture gw;
  private static CoapKeys keys;

  @BeforeAll
  static void start() throws Exception {
    gw = SharedGateway.fixture();
    keys = CoapKeys.read(gw.gateway.extensionHome());
  }

  static MqttTestClient byKey(
      final String clientId, final String identity, final String key, final Optional<KeyPair> pair)
      throws MqttException {
    return MqttTestClient.connect(
        gw.port(),
        clientId,
        identity,
        null,
        options ->
            KeyAuthSocketFactory.of(new NoDelaySocketFactory(), identity, clientId, key, pair)
                .applyTo(options));
  }

  @Test
  void key_right_isServed_wrong_isRefused() throws Exception {
    gw.addIdentity("kl-alice", IdentityRole.CONSUMER);

    try (MqttTestClient alice =
        byKey("kl-alice-1", "kl-alice", keys.keyOf("kl-alice"), Optional.empty())) {
      assertThat(alice.subscribe("troupe/r/kl-alice-1/#")).isLessThan(0x80);
      assertThat(alice.call("nothing.kl-here", "x").status()).isEqualTo(404);
    }
    assertThatThrownBy(
            () -> byKey("kl-alice-2", "kl-alice", keys.keyOf("kl-mallory"), Optional.empty()))
        .isInstanceOfSatisfying(
            MqttException.class,
            e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USER_NAME_OR_PASSWORD));
  }

  @Test
  void machine_bound_isServedFromItsKeyPairOnly() throws Exception {
    final String password = gw.addIdentity("kl-bob", IdentityRole.CONSUMER);
    final String key = keys.keyOf("kl-bob");
    final KeyPair mine = KeyAuth.newMachineKeyPair();

    try (MqttTestClient bob = byKey("kl-bob-1", "kl-bob", key, Optional.of(mine))) {
      assertThat(bob.subscribe("troupe/r/kl-bob-1/#")).isLessThan(0x80);
      assertThat(bob.call("nothing.kl-here", "x").status()).isEqualTo(404);
    }
    assertThatThrownBy(
            () -> byKey("kl-bob-2", "kl-bob", key, Optional.of(KeyAuth.newMachineKeyPair())))
        .isInstanceOfSatisfying(
            MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORIZED));
    assertThatThrownBy(() -> MqttTestClient.connect(gw.port(), "kl-bob-3", "kl-bob", password))
        .isInstanceOfSatisfying(
            MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORIZED));
    try (MqttTestClient again = byKey("kl-bob-4", "kl-bob", key, Optional.of(mine))) {
      assertThat(again.client.isConnected()).isTrue();
    }
  }

  /** {@code troupe ARGS --port P}, in this JVM: its exit code and output. */
  private static String[] troupe(final String... args) {
    final java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(args));
    all.addAll(java.util.List.of("--port", Integer.toString(gw.port())));
    final java.io.StringWriter out = new java.io.StringWriter();
    final java.io.StringWriter err = new java.io.StringWriter();
    final int exit =
        io.troupe.agent.cli.TroupeCli.run(
            new java.io.PrintWriter(out), new java.io.PrintWriter(err), all.toArray(String[]::new));
    return new String[] {Integer.toString(exit), out.toString(), err.toString()};
  }

  @Test
  void reset_byTheCli_makesTheOldPasswordAndKeyFailAndTheNewOnesWork(
      @org.junit.jupiter.api.io.TempDir final java.nio.file.Path dir) throws Exception {
    // given: carol, bound to a machine
    final String oldPassword = gw.addIdentity("kl-carol", IdentityRole.CONSUMER);
    final String oldKey = keys.keyOf("kl-carol");
    try (MqttTestClient carol =
        byKey("kl-carol-1", "kl-carol", oldKey, Optional.of(KeyAuth.newMachineKeyPair()))) {
      assertThat(carol.client.isConnected()).isTrue();
    }

    // when
    final String[] reset =
        troupe(
            "identity",
            "reset",
            "kl-carol",
            "--admin-secret-file",
            gw.gateway.adminSecretFile().toString());

    // then: NAME PASSWORD KEY, once
    assertThat(reset[0]).as(reset[2]).isEqualTo("0");
    final String[] printed = reset[1].trim().split(" ");
    assertThat(printed).hasSize(3);
    assertThat(printed[0]).isEqualTo("kl-carol");
    final String newPassword = printed[1];
    final String newKey = printed[2];
    assertThat(newKey).isNotEqualTo(oldKey).hasSize(43);
    assertThatThrownBy(
            () -> MqttTestClient.connect(gw.port(), "kl-carol-2", "kl-carol", oldPassword))
        .isInstanceOfSatisfying(
            MqttException.class,
            e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USER_NAME_OR_PASSWORD));
    assertThatThrownBy(() -> byKey("kl-carol-3", "kl-carol", oldKey, Optional.empty()))
        .isInstanceOfSatisfying(
            MqttException.class,
            e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USER_NAME_OR_PASSWORD));
    try (MqttTestClient byPassword =
        MqttTestClient.connect(gw.port(), "kl-carol-4", "kl-carol", newPassword)) {
      assertThat(byPassword.client.isConnected()).as("the machine binding is gone").isTrue();
    }
    // the CLI logs in by the new key from a file, with a machine key pair it makes
    final java.nio.file.Path keyFile = dir.resolve("carol.key");
    java.nio.file.Files.writeString(keyFile, newKey + "\n");
    final java.nio.file.Path machine = dir.resolve("machine.key");
    final String[] call =
        troupe(
            "call",
            "nothing.kl-here",
            "-u",
            "kl-carol",
            "--key-file",
            keyFile.toString(),
            "--machine-key",
            machine.toString());
    assertThat(call[0]).as(call[2]).isEqualTo("4"); // served: 404, no such service
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(machine)))
        .isEqualTo("rw-------");
  }
}
