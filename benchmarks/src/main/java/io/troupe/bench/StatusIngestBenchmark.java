package io.troupe.bench;

import io.troupe.agent.api.TroupeConsumer;
import io.troupe.contract.Topics;
import io.troupe.launcher.EmbeddedGateway;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.StatusMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;

/**
 * Status ingest through the broker (issue 6): devices publish their retained status (QoS 1) as fast
 * as the broker acknowledges, each status changing the device's load and, every other one, its
 * availability (so half of them republish distribution lists). The gateway checks each status
 * before the broker acknowledges it, so the rate of acknowledgements is the rate the gateway takes
 * statuses in. Prints each round and the median and worst rounds.
 *
 * <p>Usage: {@code ./troupe bench status [devices] [statuses-per-device] [rounds]} (defaults 16,
 * 5000 and 3).
 */
public final class StatusIngestBenchmark {

  /** Statuses each device has on its way at once (the broker's receive maximum is 10). */
  private static final int WINDOW = 10;

  /** The service every device serves in its own community. */
  private static final String SERVICE = "ingest";

  private static final Topics TOPICS = Topics.withDefaultRoot();

  public static void main(final String[] args) throws Exception {
    run(arg(args, 0, 16), arg(args, 1, 5_000), arg(args, 2, 3));
  }

  /** The rate of each measured round and the distribution lists received while they ran. */
  record Outcome(double[] rates, long distributionLists) {}

  /** Runs the benchmark, prints it, and returns what it measured. */
  static Outcome run(final int devices, final int perDevice, final int rounds) throws Exception {
    try (EmbeddedGateway gateway =
        BenchSupport.gateway("<troupe><coap><enabled>false</enabled></coap></troupe>")) {
      final int port = gateway.port();
      gateway.start();
      final Map<String, IdentityRole> names = new LinkedHashMap<>();
      for (int i = 0; i < devices; i++) {
        names.put("ingest-" + i, IdentityRole.DEVICE);
      }
      final Map<String, String> passwords = BenchSupport.identities(gateway, port, names);
      final List<MqttAsyncClient> clients = new ArrayList<>();
      final AtomicLong lists = new AtomicLong();
      try {
        for (final String device : names.keySet()) {
          joinAndServe(port, device, passwords.get(device));
          final MqttAsyncClient client =
              BenchSupport.connect(port, device, device, passwords.get(device));
          // a retained list comes with the subscription: count only the lists republished
          client.setCallback(
              (OnMessage)
                  (topic, message) -> {
                    if (!message.isRetained()) {
                      lists.incrementAndGet();
                    }
                  });
          client
              .subscribe(new MqttSubscription(TOPICS.servers(community(device), SERVICE), 1))
              .waitForCompletion(10_000);
          clients.add(client);
        }
        System.out.printf(
            "Status ingest through the broker: %d devices, %d statuses each, %d in flight each%n",
            devices, perDevice, WINDOW);
        run(clients, Math.min(perDevice, 1_000)); // warm-up
        lists.set(0);
        final double[] rates = new double[rounds];
        for (int round = 0; round < rounds; round++) {
          rates[round] = run(clients, perDevice);
          System.out.printf("round %d: %,.0f statuses/s%n", round + 1, rates[round]);
        }
        awaitLastLists(lists);
        final double[] sorted = rates.clone();
        Arrays.sort(sorted);
        System.out.printf(
            "statuses/s: median %,.0f, worst %,.0f (aim: at least 20,000);"
                + " distribution lists received while measured: %,d%n",
            sorted[rounds / 2], sorted[0], lists.get());
        return new Outcome(rates, lists.get());
      } finally {
        for (final MqttAsyncClient c : clients) {
          c.disconnect().waitForCompletion(5_000);
          c.close();
        }
      }
    }
  }

  /**
   * The gateway coalesces lists on its one-second tick: waits for those of the last statuses, until
   * a tick brings no more (3 s at most).
   */
  private static void awaitLastLists(final AtomicLong lists) throws InterruptedException {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    long seen = -1;
    while (System.nanoTime() < deadline && (lists.get() == 0 || lists.get() != seen)) {
      seen = lists.get();
      Thread.sleep(1_100);
    }
  }

  private static String community(final String device) {
    return "c-" + device;
  }

  /**
   * Each device joins (and creates) its own community, where its status belongs, and registers as
   * the server of its service there, so that its availability decides the service's list.
   */
  private static void joinAndServe(final int port, final String device, final String password) {
    try (TroupeConsumer c =
        TroupeConsumer.builder().port(port).user(device).password(password).build()) {
      c.connect().join();
      check(
          device,
          c.gatewayApi(
                  GatewayRequest.newBuilder()
                      .setJoinCommunity(
                          JoinCommunity.newBuilder()
                              .setCommunity(community(device))
                              .setCreateIfAbsent(true))
                      .build())
              .join());
      check(
          device,
          c.gatewayApi(
                  GatewayRequest.newBuilder()
                      .setRegisterService(
                          RegisterService.newBuilder()
                              .setCommunity(community(device))
                              .setService(SERVICE))
                      .build())
              .join());
    }
  }

  private static void check(final String device, final GatewayResponse response) {
    if (response.getStatus() >= 300) {
      throw new IllegalStateException(
          device + ": API call refused: " + response.getStatus() + " " + response.getReason());
    }
  }

  /** Every client publishes {@code each} statuses; the statuses acknowledged per second. */
  private static double run(final List<MqttAsyncClient> clients, final int each)
      throws InterruptedException {
    final CountDownLatch done = new CountDownLatch(clients.size());
    final AtomicLong refused = new AtomicLong();
    final List<Exception> broken = new java.util.concurrent.CopyOnWriteArrayList<>();
    final long start = System.nanoTime();
    for (final MqttAsyncClient client : clients) {
      final String device = client.getClientId();
      final Thread t =
          new Thread(
              () -> {
                try {
                  publish(client, device, each, refused);
                } catch (final Exception e) {
                  broken.add(e);
                } finally {
                  done.countDown();
                }
              },
              "status-" + device);
      t.start();
    }
    if (!done.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the statuses were not acknowledged in time");
    }
    final double seconds = (System.nanoTime() - start) / 1e9;
    if (!broken.isEmpty()) {
      final IllegalStateException failed =
          new IllegalStateException(broken.size() + " publishers failed: " + broken.get(0));
      broken.forEach(failed::addSuppressed);
      throw failed;
    }
    if (refused.get() > 0) {
      throw new IllegalStateException(refused.get() + " statuses were refused");
    }
    return clients.size() * (double) each / seconds;
  }

  private static void publish(
      final MqttAsyncClient client, final String device, final int count, final AtomicLong refused)
      throws Exception {
    final String topic = TOPICS.status(community(device), device);
    final Semaphore window = new Semaphore(WINDOW);
    final MqttActionListener release =
        new MqttActionListener() {
          @Override
          public void onSuccess(final IMqttToken token) {
            final int[] codes = token.getReasonCodes();
            if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
              refused.incrementAndGet();
            }
            window.release();
          }

          @Override
          public void onFailure(final IMqttToken token, final Throwable error) {
            refused.incrementAndGet();
            window.release();
          }
        };
    for (int i = 0; i < count; i++) {
      final StatusMessage status =
          StatusMessage.newBuilder()
              .setDeviceId(device)
              .setAvailability(i % 2 == 0 ? Availability.AVAILABLE : Availability.BUSY)
              .setMetrics(Metrics.newBuilder().setLoad((i % 100) / 100.0))
              .setSentAtMs(System.currentTimeMillis())
              .setSequence(i + 1)
              .build();
      final MqttMessage message = new MqttMessage(status.toByteArray(), 1, true, null);
      window.acquire();
      client.publish(topic, message, null, release);
    }
    window.acquire(WINDOW);
    window.release(WINDOW);
  }

  private static int arg(final String[] args, final int index, final int fallback) {
    return args.length > index ? Integer.parseInt(args[index]) : fallback;
  }
}
