package io.troupe.bench;

import io.troupe.agent.api.TroupeConsumer;
import io.troupe.agent.process.AgentProcess;
import io.troupe.launcher.EmbeddedGateway;
import io.troupe.proto.v1.IdentityRole;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * Failover to a secondary that has never served: a primary and a secondary echo agent, each in its
 * own process, a consumer keeping 16 requests in flight through the gateway, then {@code kill -9}
 * of the primary's process. Reports per round what was sent, answered and lost, and the time from
 * the kill to the first answer from the secondary; then the median and worst over the rounds.
 *
 * <p>Reports also the time of the first request the fresh primary serves, alone, before the load.
 *
 * <p>Usage: {@code ./troupe bench failover [rounds] [--no-warm-up]} (default 5 rounds; {@code
 * --no-warm-up} starts the agents without warming their serving path, to compare).
 */
final class FailoverBenchmark {

  private static final int IN_FLIGHT = 16;
  private static final long BEFORE_KILL_MS = 1_500;
  private static final long AFTER_KILL_MS = 1_500;
  private static final byte[] BODY = new byte[64];

  /** One round's figures. */
  record Round(
      double firstRequestMs, int sent, int ok, int failed, int lost, double killToSecondaryMs) {}

  private FailoverBenchmark() {}

  static void main(final String[] args) throws Exception {
    final boolean cold = Arrays.asList(args).contains("--no-warm-up");
    final String[] numbers =
        Arrays.stream(args).filter(a -> !a.startsWith("--")).toArray(String[]::new);
    run(numbers.length > 0 ? Integer.parseInt(numbers[0]) : 5, cold);
  }

  /** Runs {@code rounds} rounds, prints each and the summary, and returns them. */
  static List<Round> run(final int rounds, final boolean cold) throws Exception {
    // MQTT only: a CoAP bridge would contend for UDP 5684 with any other gateway running
    try (EmbeddedGateway gateway =
        BenchSupport.gateway("<troupe><coap><enabled>false</enabled></coap></troupe>")) {
      final int port = gateway.port();
      gateway.start();
      final String admin = Files.readString(gateway.adminSecretFile()).trim();
      System.out.printf(
          "Troupe failover benchmark: kill -9 of the primary's process with %d requests in flight,"
              + " secondary never served, agents %s, %d rounds%n",
          IN_FLIGHT, cold ? "NOT warmed up (--no-warm-up)" : "warmed up", rounds);
      System.out.printf(
          "%5s %14s %6s %9s %7s %5s %22s%n",
          "round", "1st req ms", "sent", "answered", "failed", "lost", "kill to secondary ms");
      final List<Round> results = new ArrayList<>();
      try (TroupeConsumer a =
          TroupeConsumer.builder().port(port).user("admin").password(admin).build()) {
        a.connect().join();
        final String consumerPw = BenchSupport.add(a, "bench-consumer", IdentityRole.CONSUMER);
        for (int r = 1; r <= rounds; r++) {
          final Round round = round(a, port, consumerPw, r, cold);
          results.add(round);
          System.out.printf(
              "%5d %14.1f %6d %9d %7d %5d %22.1f%n",
              r,
              round.firstRequestMs(),
              round.sent(),
              round.ok(),
              round.failed(),
              round.lost(),
              round.killToSecondaryMs());
        }
      }
      final double[] first = results.stream().mapToDouble(Round::firstRequestMs).sorted().toArray();
      System.out.printf(
          "first request to a fresh agent: median %.1f ms, worst %.1f ms%n",
          first[first.length / 2], first[first.length - 1]);
      final double[] ms = results.stream().mapToDouble(Round::killToSecondaryMs).sorted().toArray();
      System.out.printf(
          "kill to first answer from the secondary: median %.1f ms, worst %.1f ms;"
              + " lost %d of %d sent, failed (non-2xx) %d%n",
          ms[ms.length / 2],
          ms[ms.length - 1],
          results.stream().mapToInt(Round::lost).sum(),
          results.stream().mapToInt(Round::sent).sum(),
          results.stream().mapToInt(Round::failed).sum());
      return results;
    }
  }

  private static Round round(
      final TroupeConsumer admin,
      final int port,
      final String consumerPw,
      final int r,
      final boolean cold)
      throws Exception {
    final String primary = "fo-p" + r;
    final String secondary = "fo-s" + r;
    final String community = "fo" + r;
    final String primaryPw = BenchSupport.add(admin, primary, IdentityRole.DEVICE);
    final String secondaryPw = BenchSupport.add(admin, secondary, IdentityRole.DEVICE);
    final List<String> warm = cold ? List.of("--no-warm-up") : List.of();
    final List<String> primaryArgs = new ArrayList<>(List.of("--member", secondary));
    primaryArgs.addAll(warm);
    try (AgentProcess p = echoAgent(port, primary, primaryPw, community, primaryArgs);
        AgentProcess s = echoAgent(port, secondary, secondaryPw, community, warm);
        Requester consumer =
            new Requester(
                BenchSupport.connect(port, "bench-consumer-fo" + r, "bench-consumer", consumerPw),
                "troupe/s/echo." + community,
                "troupe/r/bench-consumer-fo" + r + "/resp")) {
      // the first request the fresh primary ever serves, alone
      final long firstSent = System.nanoTime();
      consumer.call(BODY).get(15, TimeUnit.SECONDS);
      final double firstRequestMs = (System.nanoTime() - firstSent) / 1e6;
      final AtomicBoolean sending = new AtomicBoolean(true);
      final AtomicInteger sent = new AtomicInteger();
      final AtomicInteger ok = new AtomicInteger();
      final AtomicInteger failed = new AtomicInteger();
      final AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
      final AtomicLong firstFromSecondary = new AtomicLong(Long.MAX_VALUE);
      final List<CompletableFuture<MqttMessage>> all =
          java.util.Collections.synchronizedList(new ArrayList<>());
      final Runnable[] next = new Runnable[1];
      next[0] =
          () -> {
            if (!sending.get()) {
              return;
            }
            sent.incrementAndGet();
            final CompletableFuture<MqttMessage> f = consumer.call(BODY);
            all.add(f);
            f.orTimeout(12, TimeUnit.SECONDS)
                .whenComplete(
                    (m, e) -> {
                      final long at = System.nanoTime();
                      if (e == null) {
                        final int status = Requester.status(m);
                        if (status >= 200 && status <= 299) {
                          ok.incrementAndGet();
                        } else {
                          failed.incrementAndGet();
                        }
                        if (secondary.equals(Requester.property(m, "server"))
                            && at > killedAt.get()) {
                          firstFromSecondary.accumulateAndGet(at, Math::min);
                        }
                      }
                      next[0].run();
                    });
          };
      for (int i = 0; i < IN_FLIGHT; i++) {
        next[0].run();
      }
      Thread.sleep(BEFORE_KILL_MS);
      killedAt.set(System.nanoTime());
      p.kill();
      Thread.sleep(AFTER_KILL_MS);
      sending.set(false);
      // a call may have been on its way when sending stopped: wait until no new one appears
      int lost = 0;
      int waited = 0;
      while (true) {
        final List<CompletableFuture<MqttMessage>> now;
        synchronized (all) {
          now = List.copyOf(all.subList(waited, all.size()));
        }
        if (now.isEmpty()) {
          break;
        }
        for (final CompletableFuture<MqttMessage> f : now) {
          try {
            f.get(15, TimeUnit.SECONDS);
          } catch (final Exception e) {
            lost++;
          }
        }
        waited += now.size();
      }
      final double killToSecondary =
          firstFromSecondary.get() == Long.MAX_VALUE
              ? Double.NaN
              : (firstFromSecondary.get() - killedAt.get()) / 1e6;
      return new Round(firstRequestMs, waited, ok.get(), failed.get(), lost, killToSecondary);
    }
  }

  /**
   * Device {@code id} serving {@code echo.{community}} in a JVM of its own, from the benchmark's
   * class path, once it serves.
   *
   * @param extra more options of {@code troupe agent}, such as {@code --member dev2}
   */
  private static AgentProcess echoAgent(
      final int port,
      final String id,
      final String password,
      final String community,
      final List<String> extra)
      throws Exception {
    final List<String> args = new ArrayList<>(AgentProcess.echoArgs(port, id, community, "echo"));
    args.addAll(extra);
    final AgentProcess agent =
        AgentProcess.startOnClassPath(
            args, java.util.Map.of("TROUPE_PASSWORD", password), "bench-logback.xml");
    try {
      agent.awaitServing(java.time.Duration.ofSeconds(60));
    } catch (final RuntimeException e) {
      agent.close();
      throw e;
    }
    return agent;
  }
}
