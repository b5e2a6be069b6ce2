package io.troupe.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static List<Long> delays(final Backoff backoff, final int n) {
    final List<Long> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(backoff.next().toMillis());
    }
    return out;
  }

  @Test
  void standard_lowestDraws_start100msAndDoubleTo400ms() {
    final Backoff b = new Backoff(Backoff.FIRST, Backoff.CAP, () -> 0.0);
    assertThat(delays(b, 5)).containsExactly(100L, 200L, 400L, 400L, 400L);
  }

  @Test
  void standard_highestDraws_stayUnder250msThenUnderTheOneSecondCap() {
    final Backoff b = new Backoff(Backoff.FIRST, Backoff.CAP, () -> 0.999_999);
    assertThat(delays(b, 5)).containsExactly(250L, 500L, 1000L, 1000L, 1000L);
  }

  @Test
  void standard_randomDraws_areSpreadWithinTheirWindow() {
    final Backoff b = Backoff.standard();
    for (final long d : delays(b, 50)) {
      assertThat(d).isBetween(100L, 1000L);
    }
  }

  @Test
  void reset_startsAgainShort() {
    final Backoff b = new Backoff(Backoff.FIRST, Backoff.CAP, () -> 0.5);
    delays(b, 4);
    b.reset();
    assertThat(b.next()).isEqualTo(Duration.ofMillis(175));
  }

  @Test
  void badBounds_areRefusedNamingThem() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), () -> 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("first PT0S");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), () -> 0))
        .hasMessageContaining("cap PT1S");
  }
}
