package io.troupe.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.agent.api.TroupeException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PubackRefusalTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "135 | 403 only members may call tickets.demo | 403 | only members may call tickets.demo",
        "144 | 404 no service at address 'nope.demo'  | 404 | no service at address 'nope.demo'",
        "151 | 429 quota of 50 MB per 24 h used        | 429 | quota of 50 MB per 24 h used",
        "128 | 503 no server available                 | 503 | no server available",
        "153 | 400 no response topic                   | 400 | no response topic",
      })
  void gatewayReason_givesTheStatusAndTheRest(
      final int code, final String reason, final int status, final String rest) {
    final TroupeException e = PubackRefusal.toException(code, reason);
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.reason()).isEqualTo(rest);
    assertThat(e.getCause()).isInstanceOf(PubackRefusal.class);
    assertThat(((PubackRefusal) e.getCause()).reasonCode()).isEqualTo(code);
  }

  @ParameterizedTest
  @CsvSource({"135, 403", "144, 404", "151, 429", "153, 400", "131, 400", "128, 500", "149, 500"})
  void otherBrokers_codeGivesTheStatus(final int code, final int status) {
    final TroupeException e = PubackRefusal.toException(code, null);
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.reason()).contains("0x" + Integer.toHexString(code));
  }

  @Test
  void reasonStartingWithDigitsButNoStatus_isKeptWhole() {
    final TroupeException e = PubackRefusal.toException(0x97, "1000 requests today");
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.reason()).isEqualTo("1000 requests today");
  }

  @Test
  void isRefusal_findsItThroughWrappers() {
    final TroupeException refused = PubackRefusal.toException(0x87, "403 no");
    assertThat(PubackRefusal.isRefusal(new CompletionException(refused))).isTrue();
    assertThat(PubackRefusal.isRefusal(new TroupeException(503, "publish failed"))).isFalse();
  }
}
