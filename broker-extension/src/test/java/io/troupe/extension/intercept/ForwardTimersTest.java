package io.troupe.extension.intercept;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Forward timers on a real scheduler: one per request, gone once the request is answered, and one
 * wake-up in the scheduler however many requests are in flight.
 */
@Timeout(10)
class ForwardTimersTest {

  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private final List<String> fired = new CopyOnWriteArrayList<>();
  private final CountDownLatch firing = new CountDownLatch(1);
  private final ForwardTimers timers =
      new ForwardTimers(
          scheduler,
          (id, attempt) -> {
            fired.add(id + "#" + attempt);
            firing.countDown();
          });

  ForwardTimersTest() {
    scheduler.setRemoveOnCancelPolicy(true);
  }

  @AfterEach
  void tearDown() {
    scheduler.shutdownNow();
  }

  @Test
  void cancel_answeredRequest_itsTimerNeverFiresAndNothingIsKept() {
    timers.arm("r1", 1, 60_000);
    timers.cancel("r1");
    assertThat(timers.armed()).isZero();
    assertThat(scheduler.getQueue())
        .as("at most the shared wake-up is left, which holds nothing of the request")
        .hasSizeLessThanOrEqualTo(1);
  }

  @Test
  void arm_thousandRequests_theSchedulerHoldsOneWakeUp() {
    for (int i = 0; i < 1_000; i++) {
      timers.arm("r" + i, 1, 60_000);
    }
    assertThat(timers.armed()).isEqualTo(1_000);
    assertThat(scheduler.getQueue()).hasSize(1);
  }

  @Test
  void fire_answeredEarlierRequests_stillFiresTheUnansweredOne() throws InterruptedException {
    // given the wake-up set for r1's deadline, r1 answered
    timers.arm("r1", 1, 20);
    timers.arm("r2", 1, 60);
    timers.cancel("r1");
    // when the wake-up finds r1 gone, then r2 still fires
    assertThat(firing.await(5, TimeUnit.SECONDS)).as("fired").isTrue();
    assertThat(fired).containsExactly("r2#1");
    assertThat(timers.armed()).isZero();
  }

  @Test
  void arm_anEarlierDeadlineThanTheWakeUp_firesAtTheEarlierOne() throws InterruptedException {
    timers.arm("r1", 1, 60_000);
    timers.arm("r2", 1, 10);
    assertThat(firing.await(5, TimeUnit.SECONDS)).as("fired").isTrue();
    assertThat(fired).containsExactly("r2#1");
    assertThat(timers.armed()).isEqualTo(1);
  }

  @Test
  void arm_aNewAttempt_cancelsTheEarlierOnesTimer() {
    timers.arm("r1", 1, 60_000);
    timers.arm("r1", 2, 60_000);
    assertThat(timers.armed()).isEqualTo(1);
    assertThat(scheduler.getQueue()).hasSize(1);
  }

  @Test
  void fire_unansweredRequest_tellsItsAttemptAndForgetsIt() throws InterruptedException {
    timers.arm("r1", 3, 10);
    assertThat(firing.await(5, TimeUnit.SECONDS)).as("fired").isTrue();
    assertThat(fired).containsExactly("r1#3");
    assertThat(timers.armed()).as("forgotten before it is told").isZero();
  }

  @Test
  void cancel_unknownRequest_changesNothing() {
    timers.arm("r1", 1, 60_000);
    timers.cancel("r2");
    assertThat(timers.armed()).isEqualTo(1);
  }
}
