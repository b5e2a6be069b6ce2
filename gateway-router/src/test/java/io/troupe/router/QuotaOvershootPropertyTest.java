package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static io.troupe.router.RouterFixture.reply;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.PolicyScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * With many requests in flight at once, answered in any order, a consumer's bytes in its quota's
 * window never exceed the quota by more than the answers that were already in flight when the quota
 * was crossed; and every request is admitted exactly when a model of the window (written here apart
 * from the router's) says it fits. Randomized over fixed seeds (jqwik is not in the build), so a
 * failure names its seed and reproduces.
 */
class QuotaOvershootPropertyTest {

  private static final long QUOTA = 2_000;
  private static final long WINDOW_S = 5;
  private static final long BUCKET_MS = 1_000;

  static LongStream seeds() {
    return LongStream.of(1, 2, 3, 5, 8, 13, 21, 34);
  }

  /** A byte count at a time, as the model keeps them. */
  private record Bytes(long atMs, long bytes) {}

  private final List<Bytes> counted = new ArrayList<>();

  /** The model's window: bytes whose bucket is one of the last WINDOW_S buckets up to now. */
  private long used(final long nowMs) {
    final long current = Math.floorDiv(nowMs, BUCKET_MS);
    return counted.stream()
        .filter(b -> Math.floorDiv(b.atMs(), BUCKET_MS) > current - WINDOW_S)
        .mapToLong(Bytes::bytes)
        .sum();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void quota_concurrentRequests_overshootIsAtMostTheAnswersInFlightAtTheCrossing(final long seed) {
    final RouterFixture f = new RouterFixture();
    f.register("dev1", "demo", "echo");
    f.register("dev2", "demo", "echo");
    f.online("dev1", "demo");
    f.online("dev2", "demo");
    assertThat(
            f.api(
                    AccessPolicyRoutingTest.ADMIN,
                    AccessPolicyOpsTest.set(
                        AccessPolicyRoutingTest.quota(
                            PolicyScope.SERVICE, "echo.demo", QUOTA, WINDOW_S)))
                .getStatus())
        .isEqualTo(200);
    final Random random = new Random(seed);
    final Map<String, Decision.Forward> inFlight = new HashMap<>();
    final Map<String, Long> answerOf = new HashMap<>();
    Set<String> inFlightAtCrossing = new HashSet<>();

    for (int step = 0; step < 400; step++) {
      final long now = f.clock.millis();
      final int what = random.nextInt(10);
      if (what < 5) {
        final int size = 1 + random.nextInt(250);
        final boolean fits = used(now) + size <= QUOTA;
        final Decision d = f.router.onRequest(AccessPolicyRoutingTest.request(size));
        assertThat(d instanceof Decision.Forward)
            .as("seed %d step %d: %s", seed, step, d)
            .isEqualTo(fits);
        if (d instanceof Decision.Forward fw) {
          counted.add(new Bytes(now, size));
          inFlight.put(fw.requestId(), fw);
          answerOf.put(fw.requestId(), (long) random.nextInt(400));
        } else {
          assertThat(AccessPolicyRoutingTest.code(d)).isEqualTo(429);
        }
      } else if (what < 8 && !inFlight.isEmpty()) {
        final List<String> ids = new ArrayList<>(inFlight.keySet());
        ids.sort(null);
        final String id = ids.get(random.nextInt(ids.size()));
        final Decision.Forward fw = inFlight.remove(id);
        final boolean wasOver = used(now) > QUOTA;
        final long answer = answerOf.get(id);
        f.router.onReply(
            device(fw.device()), fw.device(), id, reply(id, 200, "x".repeat((int) answer)));
        counted.add(new Bytes(now, answer));
        if (!wasOver && used(now) > QUOTA) { // crossed now: the answers that may still come
          inFlightAtCrossing = new HashSet<>(inFlight.keySet());
          inFlightAtCrossing.add(id);
        }
        final Set<String> atCrossing = inFlightAtCrossing;
        final long bound = QUOTA + atCrossing.stream().mapToLong(answerOf::get).sum();
        assertThat(used(now)).as("seed %d step %d", seed, step).isLessThanOrEqualTo(bound);
      } else {
        f.clock.advance(Duration.ofMillis(random.nextInt(900)));
        // the servers stay alive: only the quota decides here
        f.status("dev1", "demo", io.troupe.proto.v1.Availability.AVAILABLE, 0);
        f.status("dev2", "demo", io.troupe.proto.v1.Availability.AVAILABLE, 0);
      }
    }
  }
}
