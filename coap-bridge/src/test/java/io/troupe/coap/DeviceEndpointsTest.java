package io.troupe.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The endpoints towards devices against a real Californium device, with few message IDs. */
class DeviceEndpointsTest {

  /** Unicast message IDs 0 to 1,599 instead of 0 to 64,999: runs out 40 times sooner. */
  private static final int MIDS = 1_600;

  static {
    CoapConfig.register();
    UdpConfig.register();
  }

  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private CoapServer device;
  private DeviceEndpoints endpoints;

  @BeforeEach
  void start() throws Exception {
    final Configuration server = Configuration.createStandardWithoutFile();
    server.set(CoapConfig.MULTICAST_BASE_MID, MIDS);
    device = new CoapServer(Configuration.createStandardWithoutFile());
    device.add(
        new CoapResource("echo") {
          @Override
          public void handlePOST(final CoapExchange exchange) {
            exchange.respond(ResponseCode.CHANGED, exchange.getRequestPayload());
          }
        });
    device.addEndpoint(
        new CoapEndpoint.Builder()
            .setInetSocketAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .setConfiguration(Configuration.createStandardWithoutFile())
            .build());
    device.start();
    endpoints =
        new DeviceEndpoints(
            DeviceForwarder.clientConfiguration(server, Duration.ofSeconds(10)),
            InetAddress.getLoopbackAddress(),
            Duration.ofSeconds(20),
            timers,
            timers);
    endpoints.start();
  }

  @AfterEach
  void stop() {
    endpoints.stop();
    device.destroy();
    timers.shutdownNow();
  }

  @Test
  void capacity_isWhatTheGroupedTrackerGivesOutWhereverItStarts() {
    final Configuration c = Configuration.createStandardWithoutFile();
    assertThat(DeviceEndpoints.capacity(c)).isEqualTo(65_000 - 2 * 4_063);
    c.set(CoapConfig.MULTICAST_BASE_MID, MIDS);
    assertThat(DeviceEndpoints.capacity(c)).isEqualTo(MIDS - 2 * 100);
  }

  /**
   * Twice as many requests as there are message IDs, to one device within its exchange lifetime:
   * one endpoint ran out of IDs after about 1,500 and every later request failed unsent.
   */
  @Test
  @Timeout(60)
  void moreRequestsThanMessageIds_areAllAnswered() throws Exception {
    final String uri = "coap://127.0.0.1:" + device.getEndpoints().get(0).getAddress().getPort();
    final Semaphore inFlight = new Semaphore(16);
    final Map<String, Integer> outcomes = new TreeMap<>();
    final CompletableFuture<?>[] calls = new CompletableFuture<?>[2 * MIDS];
    for (int i = 0; i < calls.length; i++) {
      inFlight.acquire();
      final CompletableFuture<String> call = new CompletableFuture<>();
      call.whenComplete((outcome, e) -> inFlight.release());
      final Request request = Request.newPost();
      request.setURI(uri + "/echo");
      request.setPayload("call " + i);
      request.addMessageObserver(
          new MessageObserverAdapter() {
            @Override
            public void onResponse(final Response response) {
              call.complete(
                  response.getCode() == ResponseCode.CHANGED
                          && response.getPayloadString().equals(request.getPayloadString())
                      ? "answered"
                      : response.getCode().toString());
            }

            @Override
            protected void failed() {
              call.complete(request.getSendError() != null ? "not sent" : "no answer");
            }
          });
      endpoints.next().orElseThrow().sendRequest(request);
      calls[i] = call.thenAccept(o -> count(outcomes, o));
    }
    CompletableFuture.allOf(calls).get(50, TimeUnit.SECONDS);
    assertThat(outcomes).containsExactly(Map.entry("answered", calls.length));
  }

  private static synchronized void count(final Map<String, Integer> outcomes, final String o) {
    outcomes.merge(o, 1, Integer::sum);
  }
}
