package io.troupe.bench;

import io.troupe.agent.api.TroupeConsumer;
import io.troupe.launcher.EmbeddedGateway;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.Metrics;
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

  public static void main(final String[] args) throws Exception {
    final int devices = arg(args, 0, 16);
    final int perDevice = arg(args, 1, 5_000);
    final int rounds = arg(args, 2, 3);
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
      try {
        for (final String device : names.keySet()) {
          join(port, device, passwords.get(device));
          clients.add(BenchSupport.connect(port, device, device, passwords.get(device)));
        }
        System.out.printf(
            "Status ingest through the broker: %d devices, %d statuses each, %d in flight each%n",
            devices, perDevice, WINDOW);
        run(clients, Math.min(perDevice, 1_000)); // warm-up
        final double[] rates = new double[rounds];
        for (int round = 0; round < rounds; round++) {
          rates[round] = run(clients, perDevice);
          System.out.printf("round %d: %,.0f statuses/s%n", round + 1, rates[round]);
        }
        Arrays.sort(rates);
        System.out.printf(
            "statuses/s: median %,.0f, worst %,.0f (aim: at least 20,000)%n",
            rates[rounds / 2], rates[0]);
      } finally {
        for (final MqttAsyncClient c : clients) {
          c.disconnect().waitForCompletion(5_000);
          c.close();
        }
      }
    }
  }

  /** Each device joins (and creates) its own community, where its status belongs. */
  private static void join(final int port, final String device, final String password) {
    try (TroupeConsumer c =
        TroupeConsumer.builder().port(port).user(device).password(password).build()) {
      c.connect().join();
      final int status =
          c.gatewayApi(
                  GatewayRequest.newBuilder()
                      .setJoinCommunity(
                          JoinCommunity.newBuilder()
                              .setCommunity("c-" + device)
                              .setCreateIfAbsent(true))
                      .build())
              .join()
              .getStatus();
      if (status >= 300) {
        throw new IllegalStateException(device + " could not join its community: " + status);
      }
    }
  }

  /** Every client publishes {@code each} statuses; the statuses acknowledged per second. */
  private static double run(final List<MqttAsyncClient> clients, final int each)
      throws InterruptedException {
    final CountDownLatch done = new CountDownLatch(clients.size());
    final AtomicLong refused = new AtomicLong();
    final long start = System.nanoTime();
    for (final MqttAsyncClient client : clients) {
      final String device = client.getClientId();
      final Thread t =
          new Thread(
              () -> {
                try {
                  publish(client, device, each, refused);
                } catch (final Exception e) {
                  e.printStackTrace();
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
    if (refused.get() > 0) {
      throw new IllegalStateException(refused.get() + " statuses were refused");
    }
    return clients.size() * (double) each / seconds;
  }

  private static void publish(
      final MqttAsyncClient client, final String device, final int count, final AtomicLong refused)
      throws Exception {
    final String topic = "troupe/c/c-" + device + "/status/" + device;
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
