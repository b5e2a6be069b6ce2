package io.troupe.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.agent.api.TroupeException;
import java.net.ConnectException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a refused or failed CONNECT becomes: the status the CLI's exit code follows. */
class ConnectFailureTest {

  @ParameterizedTest
  @CsvSource({"134, 403", "135, 403", "151, 429", "136, 503", "128, 503"})
  void connackReasonCode_givesTheStatus(final int reasonCode, final int status) {
    final TroupeException e =
        PahoMessages.connectFailure("127.0.0.1:1883", new MqttException(reasonCode));

    assertThat(e.status()).isEqualTo(status);
  }

  @Test
  void connectionLimit_saysWhatToDo() {
    // CONNACK 0x97 (quota exceeded): an access policy's connection limit
    final TroupeException e =
        PahoMessages.connectFailure("127.0.0.1:1883", new MqttException(0x97));

    assertThat(e.reason()).contains("as many connections open as an access policy allows");
  }

  @Test
  void noBroker_isUnavailable() {
    assertThat(
            PahoMessages.connectFailure(
                    "127.0.0.1:1",
                    new MqttException(
                        org.eclipse.paho.mqttv5.client.MqttClientException
                            .REASON_CODE_SERVER_CONNECT_ERROR,
                        new ConnectException("Connection refused")))
                .status())
        .isEqualTo(503);
  }
}
