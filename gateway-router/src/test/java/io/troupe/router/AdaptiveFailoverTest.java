package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static io.troupe.router.RouterFixture.reply;
import static io.troupe.router.RouterFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.router.internal.devices.Latency;
import io.troupe.router.internal.devices.Presence;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Forward timeouts follow each server's latency; a timeout fails a silent server over at once but
 * keeps a request on a server that is working through its queue, rather than sending it twice.
 */
class AdaptiveFailoverTest {

  private RouterFixture f;

  @BeforeEach
  void twoServers() {
    f = new RouterFixture();
    f.register("dev1", "demo", "echo");
    f.register("dev2", "demo", "echo");
    f.online("dev1", "demo");
    f.online("dev2", "demo");
  }

  private int sessions;

  /** A request of a new session, so that the rule, not a session's server, chooses (R8). */
  private Decision.Forward send() {
    final Decision d =
        f.router.onRequest(request("echo.demo", java.util.Map.of("session", "s" + sessions++)));
    assertThat(d).isInstanceOf(Decision.Forward.class);
    return (Decision.Forward) d;
  }

  private List<Decision> answer(final Decision.Forward fw) {
    return f.router.onReply(
        device(fw.device()), fw.device(), fw.requestId(), reply(fw.requestId(), 200, "ok"));
  }

  /** dev1 answers {@code n} requests in {@code ms} each. */
  private void served(final int n, final long ms) {
    for (int i = 0; i < n; i++) {
      final Decision.Forward fw = send();
      assertThat(fw.device()).isEqualTo("dev1");
      f.clock.advance(Duration.ofMillis(ms));
      assertThat(answer(fw)).hasSize(1);
    }
  }

  @Test
  void forwardTimeout_fastServer_shrinksFromTheConfiguredMaximumToTheMinimum() {
    assertThat(send().timeout()).isEqualTo(f.config.forwardTimeout());
    f.router.onConnected(device("dev1"), 99); // a new connection: cold again
    f.status("dev1", "demo", io.troupe.proto.v1.Availability.AVAILABLE, 0);
    served(10, 5);
    assertThat(send().timeout()).isEqualTo(Latency.MIN_TIMEOUT);
  }

  @Test
  void forwardTimeout_slowServer_growsWithItsAnswers() {
    served(10, 1_400);
    assertThat(send().timeout().toMillis()).isBetween(1_400L, 1_900L);
  }

  @Test
  void timeout_silentPrimaryThatAnsweredBefore_failsOverAfterItsOwnShortTimeout() {
    served(10, 5);
    final Decision.Forward first = send();
    f.clock.advance(first.timeout());
    final List<Decision> next = f.router.onForwardTimeout(first.requestId(), first.attempt());
    assertThat(next).singleElement().isInstanceOf(Decision.Forward.class);
    assertThat(((Decision.Forward) next.get(0)).device()).isEqualTo("dev2");
    assertThat(f.router.presence("dev1")).isEqualTo(Presence.SUSPECTED);
    assertThat(first.timeout()).isLessThan(f.config.forwardTimeout());
  }

  @Test
  void timeout_primaryWorkingThroughItsQueue_keepsWaitingAndSendsNothingElsewhere() {
    final Decision.Forward queued = send();
    final Decision.Forward behind = send();
    f.clock.advance(queued.timeout().minusMillis(1));
    assertThat(answer(queued)).hasSize(1); // dev1 is working: it answered since `behind` was sent
    f.clock.advance(Duration.ofMillis(1));
    final List<Decision> fired = f.router.onForwardTimeout(behind.requestId(), behind.attempt());

    assertThat(fired).singleElement().isInstanceOf(Decision.Wait.class);
    final Decision.Wait wait = (Decision.Wait) fired.get(0);
    assertThat(wait.device()).isEqualTo("dev1");
    assertThat(wait.attempt()).isEqualTo(behind.attempt());
    assertThat(f.router.presence("dev1")).isEqualTo(Presence.ALIVE);

    f.clock.advance(Duration.ofMillis(100));
    final List<Decision> answered = answer(behind);
    assertThat(answered).singleElement().isInstanceOf(Decision.Answer.class);
    assertThat(((Decision.Answer) answered.get(0)).server()).contains("dev1");
    assertThat(f.router.pendingCount()).isZero();
  }

  @Test
  void timeout_waitingOnAWorkingServer_endsWith504AtTheDeadline_neverResent() {
    final Decision.Forward queued = send();
    final Decision.Forward behind = send();
    f.clock.advance(Duration.ofMillis(1_000));
    answer(queued);
    List<Decision> fired = List.of();
    for (int i = 0; i < 20 && f.router.pendingCount() > 0; i++) {
      f.clock.advance(behind.timeout());
      fired = f.router.onForwardTimeout(behind.requestId(), behind.attempt());
      assertThat(fired).noneMatch(d -> d instanceof Decision.Forward);
      if (f.router.pendingCount() > 0) {
        // dev1 goes on answering other requests: still working
        answer(send());
      }
    }
    assertThat(fired).singleElement().isInstanceOf(Decision.Answer.class);
    assertThat(((Decision.Answer) fired.get(0)).code()).isEqualTo(504);
  }

  @Test
  void timeout_workingPrimaryButSecondaryTwiceAsFastAndIdle_failsOver() {
    // dev2 has shown it answers in 10 ms
    f.router.onDisconnected(device("dev1"), f.connectionOf("dev1") - 1);
    final Decision.Forward onDev2 = send();
    assertThat(onDev2.device()).isEqualTo("dev2");
    f.clock.advance(Duration.ofMillis(10));
    answer(onDev2);
    f.router.onConnected(device("dev1"), 50);
    f.status("dev1", "demo", io.troupe.proto.v1.Availability.AVAILABLE, 0);
    served(5, 1_000); // dev1 takes a second
    final Decision.Forward slow = send();
    final Decision.Forward slower = send();
    f.clock.advance(slow.timeout().minusMillis(1));
    answer(slow);
    f.clock.advance(Duration.ofMillis(1));
    final List<Decision> fired = f.router.onForwardTimeout(slower.requestId(), slower.attempt());
    assertThat(fired).singleElement().isInstanceOf(Decision.Forward.class);
    assertThat(((Decision.Forward) fired.get(0)).device()).isEqualTo("dev2");
  }

  @Test
  void timeout_everyServerPausesBriefly_noEarly504_theLateAnswerIsTaken() {
    served(10, 5); // dev1's timeout is now the minimum
    final Decision.Forward first = send();
    f.clock.advance(first.timeout());
    final Decision.Forward second =
        (Decision.Forward) f.router.onForwardTimeout(first.requestId(), first.attempt()).get(0);
    f.clock.advance(second.timeout());
    assertThat(f.router.onForwardTimeout(second.requestId(), second.attempt()))
        .singleElement()
        .isInstanceOf(Decision.Wait.class);
    final List<Decision> late = answer(first);
    assertThat(late).singleElement().isInstanceOf(Decision.Answer.class);
    assertThat(((Decision.Answer) late.get(0)).code()).isEqualTo(200);
    assertThat(f.router.pendingCount()).isZero();
  }
}
