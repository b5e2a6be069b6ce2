package io.troupe.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.PolicyScope;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bandwidth threshold holds a consumer only for the time its bytes take at that rate: at a high
 * rate a request's bytes take microseconds, and a consumer far below the threshold is never held.
 */
class BandwidthThresholdTest {

  private final RouterFixture f = new RouterFixture();

  @BeforeEach
  void echoServedByDev1() {
    f.register("dev1", "demo", "echo");
    f.online("dev1", "demo");
  }

  private void policy(final long bytesPerSecond) {
    assertThat(
            f.api(
                    AccessPolicyRoutingTest.ADMIN,
                    AccessPolicyOpsTest.set(
                        AccessPolicy.newBuilder()
                            .setScope(PolicyScope.SERVICE)
                            .setTarget("echo.demo")
                            .setBandwidthBytesPerSecond(bytesPerSecond)))
                .getStatus())
        .isEqualTo(200);
  }

  @Test
  void highThreshold_neverHoldsACallWithinTheSameMillisecond() {
    // given a threshold of 1 MiB/s: 100 calls of 64 bytes and their answers are 12.5 KiB, 12 ms
    // of the consumer's time at most, and the clock does not move
    policy(1L << 20);

    // then each is forwarded at once, not held for a millisecond each way
    for (int i = 0; i < 100; i++) {
      final Decision d = f.router.onRequest(AccessPolicyRoutingTest.request(64));
      assertThat(d).as("call %d", i).isInstanceOf(Decision.Forward.class);
      final Decision.Forward fw = (Decision.Forward) d;
      f.router.onReply(
          RouterFixture.device(fw.device()),
          fw.device(),
          fw.requestId(),
          RouterFixture.reply(fw.requestId(), 200, "x".repeat(64)));
      // a thousand calls a second: far under 1 MiB/s
      f.clock.advance(Duration.ofMillis(1));
    }
  }

  @Test
  void lowThreshold_stillHoldsToTheRate_inWholeMilliseconds() {
    // given 3 bytes/s: one byte takes 333.33 ms
    policy(3);
    assertThat(f.router.onRequest(AccessPolicyRoutingTest.request(1)))
        .isInstanceOf(Decision.Forward.class);

    // then the next is held until the first byte is through, to the millisecond below
    final Decision held = f.router.onRequest(AccessPolicyRoutingTest.request(1));
    assertThat(held).isInstanceOf(Decision.Delay.class);
    assertThat(((Decision.Delay) held).delay()).isEqualTo(Duration.ofMillis(333));
  }
}
