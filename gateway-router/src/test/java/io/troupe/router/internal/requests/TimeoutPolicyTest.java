package io.troupe.router.internal.requests;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.router.internal.devices.Latency;
import io.troupe.router.internal.devices.Presence;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The forward timeout that follows a server's latency, and what a timer firing leads to. */
class TimeoutPolicyTest {

  private static final Duration MAX = Duration.ofSeconds(3);

  /** A latency fed {@code samples} answers of {@code ms} each, the last at {@code atMs}. */
  private static Latency measured(final long ms, final int samples, final long atMs) {
    final Latency l = new Latency();
    for (int i = 0; i < samples; i++) {
      l.sample(ms, atMs);
    }
    return l;
  }

  @ParameterizedTest(name = "answers of {0} ms then {1} ms: timeout {2} ms")
  @CsvSource({
    // a fast server: the minimum, not 4 x 1 ms
    "1, 1, 1000",
    // steady 400 ms: the deviation decays, the timeout nears 400 ms but stays above the minimum
    "400, 400, 1000",
    // steady 1,200 ms: just over 1,200
    "1200, 1200, 1208",
    // a server that slows down: the deviation widens the timeout at once
    "300, 1000, 1090",
    // slower than the maximum: the configured forward timeout caps it
    "2000, 5000, 3000",
  })
  void timeout_followsTheSmoothedTimePlusFourDeviations_withinItsBounds(
      final long first, final long then, final long expectedMs) {
    final Latency l = measured(first, 20, 0);
    l.sample(then, 1);
    assertThat(l.timeout(MAX).toMillis()).isEqualTo(expectedMs);
  }

  @Test
  void timeout_neverAnswered_isTheConfiguredMaximum() {
    assertThat(new Latency().timeout(MAX)).isEqualTo(MAX);
  }

  @Test
  void timeout_afterANewConnection_isTheMaximumAgain() {
    final Latency l = measured(5, 10, 0);
    l.reset();
    assertThat(l.timeout(MAX)).isEqualTo(MAX);
    assertThat(l.answeredSince(0)).isFalse();
  }

  @Test
  void timeout_configuredMaximumBelowTheMinimum_theMaximumWins() {
    assertThat(measured(1, 5, 0).timeout(Duration.ofMillis(50))).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void onTimeout_silentButReportedUpSinceSent_waits_silentAndUnheard_failsOver() {
    final long sentAt = 1_000;
    final Latency busyWithIt = measured(5, 10, sentAt - 10);
    busyWithIt.heard(sentAt + 500); // a status since: up, perhaps busy with this very request
    final Latency gone = measured(5, 10, sentAt - 10);
    gone.heard(sentAt - 500);
    final Optional<TimeoutPolicy.Load> next = Optional.of(load(new Latency(), 0));
    assertThat(TimeoutPolicy.onTimeout(load(busyWithIt, 1), Presence.ALIVE, sentAt, next))
        .isEqualTo(TimeoutPolicy.Action.WAIT);
    assertThat(TimeoutPolicy.onTimeout(load(gone, 1), Presence.ALIVE, sentAt, next))
        .isEqualTo(TimeoutPolicy.Action.FAIL_OVER);
  }

  private static TimeoutPolicy.Load load(final Latency l, final int inProgress) {
    return new TimeoutPolicy.Load(l, inProgress);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // case, current presence, current answered since sent, current ms, current in progress,
    // next exists, next measured, next ms, next in progress, action
    "silent since sent: gone, ALIVE, false, 100, 5, true, false, 0, 0, FAIL_OVER",
    "silent since sent and no next: waits to the deadline, ALIVE, false, 100, 5,"
        + " false, false, 0, 0, WAIT",
    "dead, DEAD, true, 100, 5, true, true, 10, 0, FAIL_OVER",
    "dead and no next: waits to the deadline, DEAD, false, 100, 5, false, false, 0, 0, WAIT",
    "working and nowhere else to go, ALIVE, true, 800, 50, false, false, 0, 0, WAIT",
    "working and next never measured, ALIVE, true, 800, 50, true, false, 0, 0, WAIT",
    "working and next as slow, ALIVE, true, 800, 50, true, true, 700, 10, WAIT",
    "working and next faster but as busy, ALIVE, true, 800, 50, true, true, 100, 50, WAIT",
    "working and next twice as fast and less busy, ALIVE, true, 800, 50, true, true, 300, 10,"
        + " FAIL_OVER",
    "working while suspected, SUSPECTED, true, 800, 50, true, true, 700, 10, WAIT",
    "working and next twice as fast but by milliseconds only, ALIVE, true, 6, 1, true, true, 2, 0,"
        + " WAIT",
  })
  void onTimeout_decides(
      final String name,
      final Presence presence,
      final boolean answeredSinceSent,
      final long currentMs,
      final int currentInProgress,
      final boolean nextExists,
      final boolean nextMeasured,
      final long nextMs,
      final int nextInProgress,
      final TimeoutPolicy.Action expected) {
    final long sentAt = 1_000;
    final Latency current = measured(currentMs, 10, answeredSinceSent ? sentAt + 10 : sentAt - 10);
    final Latency next = nextMeasured ? measured(nextMs, 10, 0) : new Latency();
    final Optional<TimeoutPolicy.Load> peer =
        nextExists ? Optional.of(load(next, nextInProgress)) : Optional.empty();
    assertThat(TimeoutPolicy.onTimeout(load(current, currentInProgress), presence, sentAt, peer))
        .isEqualTo(expected);
  }
}
