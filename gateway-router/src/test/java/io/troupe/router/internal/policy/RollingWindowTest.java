package io.troupe.router.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.UsageRecord;
import org.junit.jupiter.api.Test;

/** The rolling window's arithmetic at its edges. */
class RollingWindowTest {

  private static final long T0 = 1_780_000_000_000L; // on a second's edge

  @Test
  void aByte_countsUntilTheBucketNPlacesAfterItsOwnBegins() {
    final RollingWindow w = new RollingWindow(3); // 3 buckets of 1 s
    w.add(T0 + 999, 10, 0);

    assertThat(w.received(T0 + 999)).isEqualTo(10);
    assertThat(w.received(T0 + 2_999)).isEqualTo(10);
    assertThat(w.received(T0 + 3_000)).isZero();
  }

  @Test
  void aLongWindow_countsInSixtyBuckets() {
    final RollingWindow w = new RollingWindow(24 * 3600); // buckets of 24 minutes
    w.add(T0, 0, 50);
    final long bucket = 24 * 60_000;
    final long start = Math.floorDiv(T0, bucket) * bucket;

    assertThat(w.sent(start + 60 * bucket - 1)).isEqualTo(50);
    assertThat(w.sent(start + 60 * bucket)).isZero();
    assertThat(w.freesAt(T0, 0)).isEqualTo(start + 60 * bucket);
  }

  @Test
  void freesAt_isTheFirstBucketEdgeWhereEnoughHasRolledOff() {
    final RollingWindow w = new RollingWindow(10);
    w.add(T0, 300, 0);
    w.add(T0 + 4_000, 300, 0);
    w.add(T0 + 7_500, 300, 0);

    assertThat(w.total(T0 + 8_000)).isEqualTo(900);
    assertThat(w.freesAt(T0 + 8_000, 900)).isEqualTo(T0 + 8_000);
    assertThat(w.freesAt(T0 + 8_000, 600)).isEqualTo(T0 + 10_000);
    assertThat(w.freesAt(T0 + 8_000, 300)).isEqualTo(T0 + 14_000);
    assertThat(w.freesAt(T0 + 8_000, 0)).isEqualTo(T0 + 17_000);
  }

  @Test
  void ratioFreesAt_waitsUntilWhatWasReceivedRollsOffFasterThanWhatWasSent() {
    final RollingWindow w = new RollingWindow(10);
    w.add(T0, 1_000, 0);
    w.add(T0 + 5_000, 0, 400);

    assertThat(w.ratioFreesAt(T0 + 5_000, 2.0)).isEqualTo(T0 + 10_000);
    assertThat(w.ratioFreesAt(T0 + 5_000, 2.5)).isEqualTo(T0 + 5_000);
  }

  @Test
  void aSlotReused_forgetsTheBucketItHeldBefore() {
    final RollingWindow w = new RollingWindow(3);
    w.add(T0, 7, 0);
    w.add(T0 + 3_000, 1, 0); // the same slot, three buckets on

    assertThat(w.received(T0 + 3_000)).isEqualTo(1);
  }

  @Test
  void savedAndRestored_countsTheSameBytesAtTheSameTimes() {
    final RollingWindow w = new RollingWindow(5);
    w.add(T0 + 500, 10, 1);
    w.add(T0 + 2_500, 20, 2);
    final UsageRecord saved = w.toRecord(T0 + 3_000).build();

    final RollingWindow back = new RollingWindow(5);
    back.restore(saved);
    for (long t = T0; t < T0 + 9_000; t += 500) {
      assertThat(back.total(t)).as("at +%d ms", t - T0).isEqualTo(w.total(t));
    }
    assertThat(saved.getBucketMs()).isEqualTo(1_000);
    assertThat(saved.getReceivedList()).containsExactly(0L, 0L, 10L, 0L, 20L);
  }
}
