package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code mosquitto_rr} once: one MQTT 5 request, its answer printed as body|properties. */
final class MosquittoRr {

  private MosquittoRr() {}

  /** The answer as {@code body|key:value…}, or what mosquitto_rr printed when it failed. */
  static String call(
      final int port,
      final String user,
      final String password,
      final String clientId,
      final String topic,
      final String responseTopic,
      final String body)
      throws Exception {
    final Process p =
        new ProcessBuilder(
                List.of(
                    "mosquitto_rr",
                    "-V",
                    "mqttv5",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    Integer.toString(port),
                    "-u",
                    user,
                    "-P",
                    password,
                    "-i",
                    clientId,
                    "-q",
                    "1",
                    "-t",
                    topic,
                    "-e",
                    responseTopic,
                    "-m",
                    body,
                    "-W",
                    "10",
                    "-F",
                    "%p|%P"))
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
  }
}
