package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static io.troupe.router.RouterFixture.reply;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.base.Ticker;
import com.google.protobuf.ByteString;
import io.troupe.proto.v1.IdentityRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests waiting on a server that says it is up and never answers: their deadline is bounded, and
 * so are the requests and bytes that wait at once, per identity (429) and in all (503).
 */
class InFlightLimitsTest {

  /** 3 requests or 300 bytes per identity; 5 requests or 500 bytes in all; 60 s at most. */
  private static final InFlightLimits SMALL =
      new InFlightLimits(Duration.ofSeconds(60), 3, 300, 5, 500);

  private RouterFixture f;
  private final List<RouterMetrics.PendingCap> capped = new ArrayList<>();
  private int clamped;

  @BeforeEach
  void aServerThatNeverAnswers() {
    f = new RouterFixture();
    f.restartWith(f.config.withInFlight(SMALL));
    f.register("mute", "demo", "echo");
    f.online("mute", "demo");
    f.router.reportTo(
        new RouterMetrics() {
          @Override
          public void pendingRefused(final PendingCap cap) {
            capped.add(cap);
          }

          @Override
          public void deadlineClamped() {
            clamped++;
          }
        },
        Ticker.systemTicker());
  }

  private static ConsumerRequest request(
      final String identity, final int bodyBytes, final Optional<Duration> expiry) {
    return new ConsumerRequest(
        new Principal(identity, IdentityRole.CONSUMER, identity + "-1"),
        "echo.demo",
        Optional.of("troupe/r/" + identity + "-1/resp"),
        ByteString.EMPTY,
        ByteString.copyFrom(new byte[bodyBytes]),
        "",
        Map.of(),
        expiry);
  }

  private Decision send(final String identity, final int bodyBytes) {
    return f.router.onRequest(request(identity, bodyBytes, Optional.of(Duration.ofDays(1))));
  }

  private static Decision.Answer refused(final Decision d) {
    assertThat(d).isInstanceOf(Decision.Answer.class);
    final Decision.Answer a = (Decision.Answer) d;
    assertThat(a.refusal()).isPresent();
    return a;
  }

  @Test
  void pending_perIdentityCount_refusesWith429_whileAnotherIdentityIsServed() {
    for (int i = 0; i < 3; i++) {
      assertThat(send("alice", 10)).isInstanceOf(Decision.Forward.class);
    }
    final Decision.Answer a = refused(send("alice", 10));
    assertThat(a.code()).isEqualTo(429);
    assertThat(a.refusal()).contains(Status.TOO_MANY_REQUESTS);
    assertThat(a.reason()).contains("limits/max-pending-requests-per-identity").contains("alice");
    assertThat(a.responseTopic()).contains("troupe/r/alice-1/resp");
    assertThat(send("bob", 10)).isInstanceOf(Decision.Forward.class);
    assertThat(f.router.pendingCount()).isEqualTo(4);
    assertThat(capped).containsExactly(RouterMetrics.PendingCap.IDENTITY_REQUESTS);
  }

  @Test
  void pending_perIdentityBytes_refusesWith429_countingTheRequestThatArrives() {
    assertThat(send("alice", 150)).isInstanceOf(Decision.Forward.class);
    assertThat(send("alice", 150)).isInstanceOf(Decision.Forward.class);
    final Decision.Answer a = refused(send("alice", 1));
    assertThat(a.code()).isEqualTo(429);
    assertThat(a.reason()).contains("limits/max-pending-bytes-per-identity");
    assertThat(refused(send("bob", 301)).code()).as("alone past the share").isEqualTo(429);
    assertThat(capped)
        .containsExactly(
            RouterMetrics.PendingCap.IDENTITY_BYTES, RouterMetrics.PendingCap.IDENTITY_BYTES);
  }

  @Test
  void pending_inAll_refusesWith503_whenEveryIdentityIsWithinItsShare() {
    for (final String who : new String[] {"a", "a", "b", "b", "c"}) {
      assertThat(send(who, 10)).isInstanceOf(Decision.Forward.class);
    }
    final Decision.Answer a = refused(send("d", 10));
    assertThat(a.code()).isEqualTo(503);
    assertThat(a.reason()).contains("limits/max-pending-requests");
    assertThat(capped).containsExactly(RouterMetrics.PendingCap.REQUESTS);
  }

  @Test
  void pending_bytesInAll_refusesWith503() {
    for (final String who : new String[] {"a", "b", "c", "d"}) {
      assertThat(send(who, 120)).isInstanceOf(Decision.Forward.class);
    }
    final Decision.Answer a = refused(send("e", 100));
    assertThat(a.code()).isEqualTo(503);
    assertThat(a.reason()).contains("limits/max-pending-bytes");
    assertThat(capped).containsExactly(RouterMetrics.PendingCap.BYTES);
  }

  @Test
  void pending_answeredOrTimedOut_freesTheShare() {
    final List<Decision.Forward> sent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sent.add((Decision.Forward) send("alice", 100));
    }
    assertThat(refused(send("alice", 1)).code()).isEqualTo(429);
    // given one answered, when the next arrives, then it is forwarded
    final Decision.Forward first = sent.get(0);
    f.router.onReply(
        device("mute"), "mute", first.requestId(), reply(first.requestId(), 200, "late"));
    assertThat(send("alice", 100)).isInstanceOf(Decision.Forward.class);
    // and when the deadline passes for all of them, then the share is free again
    f.clock.advance(Duration.ofSeconds(61));
    for (final Decision.Forward fw : sent.subList(1, 3)) {
      f.router.onForwardTimeout(fw.requestId(), fw.attempt());
    }
    assertThat(f.router.pendingCount()).isEqualTo(1);
  }

  @Test
  void deadline_aDayLongExpiry_isClampedAndAnswered504WhenItPasses() {
    final Decision.Forward fw = (Decision.Forward) send("alice", 10);
    assertThat(fw.request().getDeadlineMs()).isEqualTo(f.clock.millis() + 60_000);
    assertThat(clamped).isEqualTo(1);
    // the timer of the forward, re-armed while the server stays up, never goes past the deadline
    Decision.Wait wait = null;
    long timeoutMs = fw.timeout().toMillis();
    int attempt = fw.attempt();
    List<Decision> after = List.of();
    for (int i = 0; i < 100 && f.router.pendingCount() > 0; i++) {
      f.clock.advance(Duration.ofMillis(timeoutMs));
      f.status("mute", "demo", io.troupe.proto.v1.Availability.AVAILABLE, 0);
      after = f.router.onForwardTimeout(fw.requestId(), attempt);
      if (!after.isEmpty() && after.get(0) instanceof Decision.Wait w) {
        wait = w;
        timeoutMs = w.timeout().toMillis();
        attempt = w.attempt();
      }
    }
    assertThat(wait).as("the server was waited on while it said it is up").isNotNull();
    assertThat(after).hasSize(1);
    final Decision.Answer a = (Decision.Answer) after.get(0);
    assertThat(a.code()).isEqualTo(504);
    assertThat(f.clock.millis() - (fw.request().getDeadlineMs() - 60_000)).isEqualTo(60_000);
    assertThat(f.router.pendingCount()).isZero();
  }

  @ParameterizedTest(name = "expiry {0} s: deadline {1} s")
  @CsvSource({"0, 10", "5, 5", "60, 60", "61, 60", "86400, 60"})
  void deadline_isTheExpiry_orTheDefault_neverBeyondTheLongest(
      final long expirySeconds, final long deadlineSeconds) {
    final Optional<Duration> expiry =
        expirySeconds == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(expirySeconds));
    final Decision.Forward fw = (Decision.Forward) f.router.onRequest(request("a", 1, expiry));
    assertThat(fw.request().getDeadlineMs() - f.clock.millis()).isEqualTo(deadlineSeconds * 1000);
    assertThat(clamped).isEqualTo(expirySeconds > 60 ? 1 : 0);
  }
}
