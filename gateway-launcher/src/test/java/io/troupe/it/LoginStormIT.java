package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.proto.v1.IdentityRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Logins under load (issue 11, finding 4): a pool of one identity connecting at once, and a flood
 * of names that are no identity while a real user logs in. Raw-socket CONNECTs, so that hundreds of
 * clients cost no threads.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoginStormIT {

  private static final int SUCCESS = 0x00;

  private static GatewayFixture gw;

  @BeforeAll
  static void start() throws Exception {
    // hashes of about 0.1 s, as in production, so that hashing on its own per login shows
    gw =
        GatewayFixture.start(
            "login-storm",
            GatewayFixture.CONFIG.replace(
                "<hash-iterations>10000</hash-iterations>",
                "<hash-iterations>100000</hash-iterations>"));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.closeInBackground();
  }

  @Test
  void fiveHundredConnects_ofOneIdentityAtOnce_areAllAccepted() throws Exception {
    final String password = gw.addIdentity("pool", IdentityRole.CONSUMER);
    try (RawConnects pool = new RawConnects()) {
      for (int i = 0; i < 500; i++) {
        pool.send("127.0.0.1", gw.port(), "pool-" + i, "pool", password);
      }
      final List<Integer> codes = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        codes.add(pool.connack(i));
      }
      assertThat(codes).containsOnly(SUCCESS);
    }
  }

  @Test
  void floodOfUnknownNamesFromRotatingAddresses_doesNotKeepAFirstLoginOut() throws Exception {
    // given: users whose passwords nobody has checked yet, and 128 clients guessing names
    final List<String> passwords = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      passwords.add(gw.addIdentity("grace" + i, IdentityRole.CONSUMER));
    }
    final AtomicBoolean flooding = new AtomicBoolean(true);
    final AtomicInteger answered = new AtomicInteger();
    final ExecutorService flood = Executors.newFixedThreadPool(128);
    try {
      for (int t = 0; t < 128; t++) {
        final int thread = t;
        flood.execute(
            () -> {
              for (int i = 0; flooding.get(); i++) {
                final String source = "127.0." + (1 + thread % 200) + "." + (2 + i % 250);
                RawConnects.once(source, gw.port(), "x", "nobody-" + thread + "-" + i, "guess");
                answered.incrementAndGet();
              }
            });
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> answered.get() >= 100);
      // when
      final List<Integer> codes = new ArrayList<>();
      for (int i = 0; i < passwords.size(); i++) {
        codes.add(
            RawConnects.once("127.0.0.1", gw.port(), "grace" + i, "grace" + i, passwords.get(i)));
      }
      // then
      assertThat(codes).containsOnly(SUCCESS);
    } finally {
      flooding.set(false);
      flood.shutdown();
      assertThat(flood.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    }
  }
}
