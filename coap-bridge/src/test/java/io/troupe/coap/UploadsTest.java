package io.troupe.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UploadsTest {

  private static final int BLOCK = 1024;
  private static final int MAX_BODY = 8 * BLOCK;
  private static final InetAddress PEER = InetAddress.getLoopbackAddress();

  private long now;
  private final List<UploadRefusal> counted = new ArrayList<>();
  private final Uploads uploads =
      new Uploads(
          new UploadLimits(2, 3, 4, 6 * BLOCK, Duration.ofSeconds(10)),
          MAX_BODY,
          () -> now,
          counted::add);

  @Test
  void blocksInOrder_giveTheWholeBody_andHoldNothingAfter() {
    // given
    final Uploads.Key key = key("alice", 1, "/s/x");
    assertThat(uploads.offer(key, block(0, true, 1))).isInstanceOf(Uploads.Outcome.Continue.class);
    assertThat(uploads.offer(key, block(1, true, 2))).isInstanceOf(Uploads.Outcome.Continue.class);
    // when
    final Uploads.Outcome last =
        uploads.offer(key, new Uploads.Block(2, BLOCK, false, new byte[] {3}, -1));
    // then
    assertThat(last).isInstanceOf(Uploads.Outcome.Complete.class);
    final byte[] body = ((Uploads.Outcome.Complete) last).body();
    assertThat(body).hasSize(2 * BLOCK + 1);
    assertThat(body[0]).isEqualTo((byte) 1);
    assertThat(body[BLOCK]).isEqualTo((byte) 2);
    assertThat(body[2 * BLOCK]).isEqualTo((byte) 3);
    assertThat(uploads.open()).isZero();
    assertThat(uploads.bytes()).isZero();
  }

  @Test
  void firstBlock_holdsOnlyWhatArrived_evenWhenSize1ClaimsTheMaximum() {
    uploads.offer(key("alice", 1, "/s/x"), new Uploads.Block(0, BLOCK, true, full(1), MAX_BODY));
    assertThat(uploads.bytes()).isEqualTo(BLOCK);
  }

  @Test
  void size1BeyondTheMaximum_refusedTooLarge_beforeAnythingIsKept() {
    final Uploads.Outcome o =
        uploads.offer(
            key("alice", 1, "/s/x"), new Uploads.Block(0, BLOCK, true, full(1), MAX_BODY + 1));
    assertThat(o).isEqualTo(new Uploads.Outcome.Refused(UploadRefusal.TOO_LARGE));
    assertThat(uploads.open()).isZero();
    assertThat(counted).containsExactly(UploadRefusal.TOO_LARGE);
  }

  @Test
  void bodyGrowingBeyondTheMaximum_refusedTooLarge_andDropped() {
    final Uploads.Key key = key("alice", 1, "/s/x");
    for (int i = 0; i < MAX_BODY / BLOCK; i++) {
      assertThat(uploads.offer(key, block(i, true, 1)))
          .isInstanceOf(i < 6 ? Uploads.Outcome.Continue.class : Uploads.Outcome.Refused.class);
    }
    // the bytes in all (6 blocks) ran out first; with them raised, the body's maximum holds
    final Uploads roomy =
        new Uploads(
            new UploadLimits(2, 3, 4, 100 * BLOCK, Duration.ofSeconds(10)),
            MAX_BODY,
            () -> now,
            counted::add);
    for (int i = 0; i < MAX_BODY / BLOCK; i++) {
      roomy.offer(key, block(i, true, 1));
    }
    assertThat(roomy.offer(key, block(MAX_BODY / BLOCK, false, 1)))
        .isEqualTo(new Uploads.Outcome.Refused(UploadRefusal.TOO_LARGE));
    assertThat(roomy.bytes()).isZero();
  }

  @Test
  void perIdentityPeerAndTotal_eachRefusedBusy() throws Exception {
    // given: alice's two uploads from one address
    assertThat(start(key("alice", 1, "/s/a"))).isInstanceOf(Uploads.Outcome.Continue.class);
    assertThat(start(key("alice", 2, "/s/b"))).isInstanceOf(Uploads.Outcome.Continue.class);
    // then: a third of alice's is refused, bob's from the same address is not
    assertThat(start(key("alice", 3, "/s/c")))
        .isEqualTo(new Uploads.Outcome.Refused(UploadRefusal.IDENTITY_BUSY));
    assertThat(start(key("bob", 4, "/s/d"))).isInstanceOf(Uploads.Outcome.Continue.class);
    // the address has three now
    assertThat(start(key("carol", 5, "/s/e")))
        .isEqualTo(new Uploads.Outcome.Refused(UploadRefusal.PEER_BUSY));
    // a fourth from elsewhere fills the total
    assertThat(
            uploads.offer(
                new Uploads.Key(
                    "carol", InetAddress.getByAddress(new byte[] {10, 0, 0, 1}), 1, "/s/f"),
                block(0, true, 1)))
        .isInstanceOf(Uploads.Outcome.Continue.class);
    assertThat(
            uploads.offer(
                new Uploads.Key(
                    "dave", InetAddress.getByAddress(new byte[] {10, 0, 0, 2}), 1, "/s/g"),
                block(0, true, 1)))
        .isEqualTo(new Uploads.Outcome.Refused(UploadRefusal.GATEWAY_BUSY));
    assertThat(uploads.open()).isEqualTo(4);
  }

  @Test
  void idleUpload_isDroppedAfterTheTimeout_andFreesItsPlace() {
    // given
    final Uploads.Key a = key("alice", 1, "/s/a");
    start(a);
    start(key("alice", 2, "/s/b"));
    // when
    now += Duration.ofSeconds(10).toNanos();
    uploads.expire();
    // then
    assertThat(uploads.open()).isZero();
    assertThat(uploads.bytes()).isZero();
    assertThat(counted).containsExactly(UploadRefusal.IDLE, UploadRefusal.IDLE);
    assertThat(uploads.offer(a, block(1, true, 1)))
        .isEqualTo(new Uploads.Outcome.Refused(UploadRefusal.INCOMPLETE));
    assertThat(start(key("alice", 3, "/s/c"))).isInstanceOf(Uploads.Outcome.Continue.class);
  }

  @Test
  void blockOutOfOrder_refusedIncomplete_andTheUploadDropped() {
    final Uploads.Key key = key("alice", 1, "/s/x");
    start(key);
    assertThat(uploads.offer(key, block(2, true, 1)))
        .isEqualTo(new Uploads.Outcome.Refused(UploadRefusal.INCOMPLETE));
    assertThat(uploads.open()).isZero();
  }

  @Test
  void theLastBlockAgain_isAcknowledgedAgain_notKeptTwice() {
    final Uploads.Key key = key("alice", 1, "/s/x");
    start(key);
    assertThat(uploads.offer(key, block(0, true, 1))).isInstanceOf(Uploads.Outcome.Continue.class);
    uploads.offer(key, block(1, true, 1));
    assertThat(uploads.offer(key, block(1, true, 1))).isInstanceOf(Uploads.Outcome.Continue.class);
    assertThat(uploads.bytes()).isEqualTo(2 * BLOCK);
  }

  @Test
  void shortBlockWithMore_refusedIncomplete() {
    final Uploads.Outcome o =
        uploads.offer(key("alice", 1, "/s/x"), new Uploads.Block(0, BLOCK, true, new byte[10], -1));
    assertThat(o).isEqualTo(new Uploads.Outcome.Refused(UploadRefusal.INCOMPLETE));
  }

  @Test
  void singleBlock_isCompleteAtOnce_holdingNothing() {
    final Uploads.Outcome o =
        uploads.offer(
            key("alice", 1, "/s/x"), new Uploads.Block(0, BLOCK, false, new byte[10], -1));
    assertThat(o).isInstanceOf(Uploads.Outcome.Complete.class);
    assertThat(uploads.open()).isZero();
  }

  private Uploads.Outcome start(final Uploads.Key key) {
    return uploads.offer(key, block(0, true, 1));
  }

  private static Uploads.Key key(final String identity, final int port, final String uri) {
    return new Uploads.Key(identity, PEER, port, uri);
  }

  private static Uploads.Block block(final int num, final boolean more, final int fill) {
    return new Uploads.Block(num, BLOCK, more, full(fill), -1);
  }

  private static byte[] full(final int fill) {
    final byte[] b = new byte[BLOCK];
    java.util.Arrays.fill(b, (byte) fill);
    return b;
  }
}
