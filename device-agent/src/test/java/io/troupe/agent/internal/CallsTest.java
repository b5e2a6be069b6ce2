package io.troupe.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.agent.api.CallOptions;
import io.troupe.agent.api.CallResult;
import io.troupe.contract.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CallsTest {

  private final Topics topics = Topics.withDefaultRoot();

  @Test
  void request_goesToTheAddressAndIsAnsweredInTheClientsNamespace() {
    final Outgoing out =
        Calls.request(
            topics,
            "troupe-0a1b2c3d",
            "echo.demo",
            "hi".getBytes(StandardCharsets.UTF_8),
            CallOptions.defaults()
                .withMethod("GET")
                .withPath("/a")
                .withContentType("text/plain")
                .withTimeout(Duration.ofSeconds(3)));

    assertThat(out.topic()).isEqualTo("troupe/s/echo.demo");
    assertThat(out.responseTopic()).contains("troupe/r/troupe-0a1b2c3d/call");
    assertThat(out.userProperties())
        .containsOnly(Map.entry("method", "GET"), Map.entry("path", "/a"));
    assertThat(out.contentType()).isEqualTo("text/plain");
    assertThat(out.expirySeconds()).contains(3L);
    assertThat(out.retained()).isFalse();
  }

  @Test
  void request_sessionIsAUserPropertyOnlyWhenGiven() {
    assertThat(
            Calls.request(topics, "c", "echo.demo", new byte[0], CallOptions.defaults())
                .userProperties())
        .isEmpty();
    assertThat(
            Calls.request(
                    topics, "c", "echo.demo", new byte[0], CallOptions.defaults().withSession("s1"))
                .userProperties())
        .containsExactly(Map.entry("session", "s1"));
  }

  @Test
  void request_anAddressInAnyCase_goesToItsLowerCaseTopic() {
    assertThat(Calls.request(topics, "c", "ECHO.Demo", new byte[0], CallOptions.defaults()).topic())
        .isEqualTo("troupe/s/echo.demo");
  }

  @Test
  void request_badAddress_isRefusedNamingIt() {
    assertThatThrownBy(
            () -> Calls.request(topics, "c", "Echo/demo", new byte[0], CallOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Echo/demo");
  }

  @ParameterizedTest
  @CsvSource({"1, 1", "999, 1", "1000, 1", "1001, 2", "1500, 2", "10000, 10", "120000, 120"})
  void expiry_isTheTimeoutInSecondsRoundedUp(final long millis, final long seconds) {
    assertThat(Calls.expirySeconds(Duration.ofMillis(millis))).isEqualTo(seconds);
  }

  private static Incoming answer(final Map<String, String> properties) {
    return new Incoming(
        "troupe/r/c/call",
        "body".getBytes(StandardCharsets.UTF_8),
        Optional.empty(),
        Optional.empty(),
        properties,
        "text/plain");
  }

  @Test
  void result_readsStatusServerAndReasonFromUserProperties() {
    final CallResult r =
        Calls.result(answer(Map.of("status", "503", "reason", "no server", "server", "dev2")));
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.reason()).contains("no server");
    assertThat(r.server()).contains("dev2");
    assertThat(r.text()).isEqualTo("body");
    assertThat(r.contentType()).isEqualTo("text/plain");
    assertThat(r.isSuccess()).isFalse();
  }

  @Test
  void result_withoutStatus_is200WithoutReasonOrServer() {
    final CallResult r = Calls.result(answer(Map.of()));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.reason()).isEmpty();
    assertThat(r.server()).isEmpty();
    assertThat(r.isSuccess()).isTrue();
  }

  @Test
  void result_statusNotANumber_is502SayingSo() {
    final CallResult r = Calls.result(answer(Map.of("status", "ok")));
    assertThat(r.status()).isEqualTo(502);
    assertThat(r.reason()).hasValueSatisfying(v -> assertThat(v).contains("'ok'"));
  }
}
