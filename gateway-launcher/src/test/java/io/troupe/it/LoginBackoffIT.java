package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.troupe.proto.v1.IdentityRole;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Failed logins back off: even the right password is refused, fast, until the window ends. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoginBackoffIT {

  private static final int SUCCESS = 0x00;
  private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
  private static final int CONNECTION_RATE_EXCEEDED = 0x9F;

  private static GatewayFixture gw;
  private static String erin;

  @BeforeAll
  static void start() throws Exception {
    gw = GatewayFixture.start("logins");
    erin = gw.addIdentity("erin", IdentityRole.CONSUMER);
  }

  @AfterAll
  static void stop() throws Exception {
    gw.closeInBackground();
  }

  @Test
  void login_afterFiveWrongPasswords_isRefusedFastEvenWhenRightThenWorksAfterTheWindow() {
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> MqttTestClient.connect(gw.port(), "erin-1", "erin", "wrong"))
          .isInstanceOfSatisfying(
              MqttException.class,
              e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USER_NAME_OR_PASSWORD));
    }

    final long started = System.nanoTime();
    assertThatThrownBy(() -> MqttTestClient.connect(gw.port(), "erin-1", "erin", erin))
        .isInstanceOfSatisfying(
            MqttException.class,
            e -> assertThat(e.getReasonCode()).isEqualTo(CONNECTION_RATE_EXCEEDED));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () -> {
              try (MqttTestClient c = MqttTestClient.connect(gw.port(), "erin-1", "erin", erin)) {
                return c.client.isConnected();
              }
            });
  }

  @Test
  void lockout_fiveWrongFromEachOfSixAddressesThenOneMorePerRound_neverKeepsTheRightPasswordOut() {
    final String frank = addIdentity("frank");
    for (int a = 2; a < 8; a++) {
      for (int i = 0; i < 5; i++) {
        assertThat(RawConnects.once("127.0.0." + a, gw.port(), "c", "frank", "wrong"))
            .isEqualTo(BAD_USER_NAME_OR_PASSWORD);
      }
    }
    for (int round = 0; round < 10; round++) {
      for (int a = 2; a < 8; a++) {
        assertThat(RawConnects.once("127.0.0." + a, gw.port(), "c", "frank", "wrong"))
            .isIn(BAD_USER_NAME_OR_PASSWORD, CONNECTION_RATE_EXCEEDED);
      }
      assertThat(RawConnects.once("127.0.0.1", gw.port(), "frank-" + round, "frank", frank))
          .as("round %s", round)
          .isEqualTo(SUCCESS);
    }
  }

  private static String addIdentity(final String name) {
    try {
      return gw.addIdentity(name, IdentityRole.CONSUMER);
    } catch (final Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
