package io.troupe.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.agent.api.TroupeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RequesterTest {

  private static final Duration LONG = Duration.ofSeconds(30);

  private final List<Outgoing> published = new CopyOnWriteArrayList<>();

  private Requester requester(final Supplier<CompletableFuture<Void>> puback) {
    return new Requester(
        m -> {
          published.add(m);
          return puback.get();
        },
        "c1-");
  }

  private Requester acked() {
    return requester(() -> CompletableFuture.completedFuture(null));
  }

  private static Outgoing call() {
    return Outgoing.of("troupe/s/echo.demo", new byte[0]);
  }

  private static Incoming answerTo(final Outgoing request, final String body) {
    return new Incoming(
        "troupe/r/c1/call",
        body.getBytes(StandardCharsets.UTF_8),
        Optional.empty(),
        request.correlation(),
        Map.of(),
        "");
  }

  private static TroupeException failure(final CompletableFuture<?> f) {
    final Throwable e = org.assertj.core.api.Assertions.catchThrowable(f::join);
    assertThat(e).isInstanceOf(CompletionException.class).hasCauseInstanceOf(TroupeException.class);
    return (TroupeException) e.getCause();
  }

  @Test
  void manyInFlight_eachGetsItsOwnAnswer_andNothingIsKept() {
    // given a hundred requests in flight
    final Requester requester = acked();
    final List<CompletableFuture<Incoming>> answers = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      answers.add(requester.request(call(), LONG, Duration.ZERO));
    }
    assertThat(published)
        .extracting(m -> new String(m.correlation().orElseThrow()))
        .doesNotHaveDuplicates();

    // when the answers come back in reverse order
    for (int i = 99; i >= 0; i--) {
      assertThat(requester.complete(answerTo(published.get(i), "a" + i))).isTrue();
    }

    // then each request has its own, and none is remembered
    for (int i = 0; i < 100; i++) {
      assertThat(new String(answers.get(i).join().payload(), StandardCharsets.UTF_8))
          .isEqualTo("a" + i);
    }
    assertThat(requester.pending()).isZero();
  }

  @Test
  void complete_unknownOrMissingCorrelation_answersNothing() {
    final Requester requester = acked();
    requester.request(call(), LONG, Duration.ZERO);
    assertThat(requester.complete(answerTo(Outgoing.of("x", new byte[0]), "?"))).isFalse();
    assertThat(
            requester.complete(
                new Incoming(
                    "t", new byte[0], Optional.empty(), Optional.of(new byte[] {1}), Map.of(), "")))
        .isFalse();
    assertThat(requester.pending()).isEqualTo(1);
  }

  @Test
  void noAnswer_failsWith504CausedByATimeout() {
    final Requester requester = acked();
    final TroupeException e =
        failure(requester.request(call(), Duration.ofMillis(1), Duration.ZERO));
    assertThat(e.status()).isEqualTo(504);
    assertThat(e.reason()).isEqualTo("no answer within 1 ms");
    assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
    assertThat(requester.pending()).isZero();
  }

  @Test
  void refusedInThePuback_butAnswered_theAnswerWins() {
    final Requester requester =
        requester(
            () -> CompletableFuture.failedFuture(PubackRefusal.toException(0x90, "404 no such")));
    final CompletableFuture<Incoming> f = requester.request(call(), LONG, LONG);

    assertThat(requester.complete(answerTo(published.get(0), "404 body"))).isTrue();

    assertThat(new String(f.join().payload(), StandardCharsets.UTF_8)).isEqualTo("404 body");
  }

  @Test
  void refusedInThePuback_andNotAnswered_failsWithTheRefusal() {
    final Requester requester =
        requester(
            () -> CompletableFuture.failedFuture(PubackRefusal.toException(0x97, "429 quota")));
    final TroupeException e = failure(requester.request(call(), LONG, Duration.ofMillis(1)));
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.reason()).isEqualTo("quota");
  }

  @Test
  void notSent_failsAtOnceWhateverTheGrace() {
    final Requester requester =
        requester(() -> CompletableFuture.failedFuture(new TroupeException(503, "not connected")));
    final CompletableFuture<Incoming> f = requester.request(call(), LONG, LONG);
    assertThat(f).isCompletedExceptionally();
    assertThat(failure(f).status()).isEqualTo(503);
  }

  @Test
  void failAll_failsWhatWaits() {
    final Requester requester = acked();
    final CompletableFuture<Incoming> f = requester.request(call(), LONG, Duration.ZERO);
    requester.failAll(new TroupeException(503, "the session was closed"));
    assertThatThrownBy(f::join).hasMessageContaining("closed");
    assertThat(requester.pending()).isZero();
  }
}
