package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, finding 1: first blocks of block-wise uploads (more blocks to come) from plain CoAP and
 * over DTLS as a consumer. Californium's own reassembly allocated the whole {@code
 * max-payload-bytes} (here 2 MiB) for each and kept it 300 s; the bridge keeps what arrived, a few
 * uploads per identity and peer, and refuses the rest with 5.03 and Max-Age.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CoapUploadFloodIT {

  private static final int BLOCK = 1024;
  private static final int SZX_1024 = 6;
  private static final int FLOOD = 300;
  private static final long IDLE_MS = 3_000;

  /** What a few open uploads and the gateway's own churn may leave after a full GC. */
  private static final long RETAINED_BOUND = 24L * 1024 * 1024;

  private static CoapGateway gw;

  @BeforeAll
  static void start() throws Exception {
    // a gateway still stopping in this JVM holds heap that this class measures
    GatewayFixture.awaitBackgroundStops();
    gw =
        CoapGateway.start(
            "upload-flood",
            config ->
                config.replace(
                    "</coap>",
                    "<uploads><idle-timeout-ms>"
                        + IDLE_MS
                        + "</idle-timeout-ms></uploads></coap>"));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.closeInBackground();
  }

  @Test
  void plainFirstBlocksFlood_heapStaysBounded_beyondAFewRefused503WithMaxAge() throws Exception {
    // given
    final long before = retainedHeap();
    final List<byte[]> answers = new ArrayList<>();
    try (RawCoap coap = new RawCoap(gw.plainPort)) {
      // when: each a first block to a URI of its own, as if 2 MiB were to follow
      for (int i = 0; i < FLOOD; i++) {
        final byte[] token = token(i);
        coap.send(firstBlock(i, token, "/s/" + CoapGateway.ADDRESS + "/flood/" + i));
        answers.add(coap.answerTo(token, 5_000).orElseThrow());
      }
      final long after = retainedHeap();

      // then
      assertThat(after - before)
          .as("heap retained by %d first blocks", FLOOD)
          .isLessThan(RETAINED_BOUND);
      assertRefusedBeyondAFew(answers);
    }
  }

  @Test
  void dtlsConsumerFirstBlocksFlood_heapStaysBounded_beyondAFewRefused503WithMaxAge()
      throws Exception {
    // given
    final long before = retainedHeap();
    final List<byte[]> answers = new ArrayList<>();
    try (RawDtls dtls = gw.rawDtls(true)) {
      // when
      // all sent before any answer is awaited: within the idle timeout, none lapses meanwhile
      for (int i = 0; i < FLOOD / 3; i++) {
        dtls.send(
            firstBlock(10_000 + i, token(10_000 + i), "/s/" + CoapGateway.ADDRESS + "/flood/" + i));
      }
      for (int i = 0; i < FLOOD / 3; i++) {
        answers.add(dtls.answerTo(token(10_000 + i), 10_000).orElseThrow());
      }
      final long after = retainedHeap();

      // then
      assertThat(after - before)
          .as("heap retained by %d first blocks over DTLS", FLOOD / 3)
          .isLessThan(RETAINED_BOUND);
      assertRefusedBeyondAFew(answers);
    }
  }

  @Test
  void size1BeyondTheMaximum_refused413WithTheMaximum() throws Exception {
    try (RawCoap coap = new RawCoap(gw.plainPort)) {
      final byte[] token = token(9_999);
      coap.send(
          RawCoap.message(
              RawCoap.CON,
              RawCoap.POST,
              9_999,
              token,
              withBlock1(
                  "/s/" + CoapGateway.ADDRESS + "/big",
                  RawCoap.Option.uint(RawCoap.SIZE1, CoapGateway.MAX_PAYLOAD + 1L)),
              new byte[BLOCK]));
      final byte[] answer = coap.answerTo(token, 5_000).orElseThrow();
      assertThat(answer[1] & 0xFF).isEqualTo(0x8D); // 4.13
      assertThat(RawCoap.option(answer, RawCoap.SIZE1).map(RawCoap::uint))
          .contains((long) CoapGateway.MAX_PAYLOAD);
    }
  }

  @Test
  @Order(1)
  void idleUpload_isDropped_itsNextBlockRefused408_andItsPlaceFreed() throws Exception {
    try (RawCoap coap = new RawCoap(gw.plainPort)) {
      // given: on a gateway with no upload open (this test runs first), the four uploads one
      // identity and one address may have, begun and then left idle
      final String uri = "/s/" + CoapGateway.ADDRESS + "/idle/";
      for (int i = 0; i < 4; i++) {
        final byte[] token = token(20_000 + i);
        coap.send(firstBlock(20_000 + i, token, uri + i));
        assertThat(coap.codeFor(token, 5_000)).contains(0x5F); // 2.31 Continue
      }

      // when: a fifth is refused (which touches none of them) until they have lapsed
      final AtomicInteger probe = new AtomicInteger(21_000);
      await()
          .atMost(java.time.Duration.ofSeconds(20))
          .pollInterval(java.time.Duration.ofMillis(200))
          .until(
              () -> {
                final int n = probe.incrementAndGet();
                coap.send(firstBlock(n, token(n), uri + "probe-" + n));
                return coap.codeFor(token(n), 2_000).orElse(0) == 0x5F;
              });

      // then: the first one's second block continues nothing
      final byte[] second = token(22_000);
      coap.send(
          RawCoap.message(
              RawCoap.CON,
              RawCoap.POST,
              22_000,
              second,
              withBlock1(uri + 0, 1, true),
              new byte[BLOCK]));
      assertThat(coap.codeFor(second, 5_000)).contains(0x88); // 4.08
    }
    // and a real 1 MB upload goes through once the flood's uploads have lapsed
    final byte[] body = new byte[1024 * 1024];
    Arrays.fill(body, (byte) 'u');
    try (CoapTestClient c = CoapTestClient.plain()) {
      await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(
              () -> c.at(gw.plainUri(CoapGateway.ADDRESS)).post(body, MediaTypeRegistry.TEXT_PLAIN),
              r ->
                  r != null
                      && r.getCode() == ResponseCode.CHANGED
                      && Arrays.equals(r.getPayload(), body));
    }
  }

  private static void assertRefusedBeyondAFew(final List<byte[]> answers) {
    final long continued = answers.stream().filter(a -> (a[1] & 0xFF) == 0x5F).count();
    assertThat(continued).as("uploads let open").isBetween(0L, 4L);
    assertThat(answers)
        .filteredOn(a -> (a[1] & 0xFF) != 0x5F)
        .hasSize(answers.size() - (int) continued)
        .allSatisfy(
            a -> {
              assertThat(a[1] & 0xFF).as("5.03").isEqualTo(0xA3);
              assertThat(RawCoap.option(a, 14).map(RawCoap::uint))
                  .hasValueSatisfying(age -> assertThat(age).isPositive());
            });
  }

  private static byte[] firstBlock(final int messageId, final byte[] token, final String uri) {
    return RawCoap.message(
        RawCoap.CON, RawCoap.POST, messageId, token, withBlock1(uri, 0, true), new byte[BLOCK]);
  }

  private static List<RawCoap.Option> withBlock1(
      final String uri, final int num, final boolean more) {
    final List<RawCoap.Option> options = new ArrayList<>(RawCoap.path(uri));
    options.add(RawCoap.Option.block(RawCoap.BLOCK1, num, more, SZX_1024));
    return options;
  }

  private static List<RawCoap.Option> withBlock1(final String uri, final RawCoap.Option size1) {
    final List<RawCoap.Option> options = withBlock1(uri, 0, true);
    options.add(size1);
    return options;
  }

  private static byte[] token(final int i) {
    return new byte[] {(byte) 0xF1, (byte) (i >> 16), (byte) (i >> 8), (byte) i};
  }

  /** Heap in use after full collections: what is retained, not what awaits collection. */
  static long retainedHeap() {
    GatewayFixture.awaitBackgroundStops();
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return least;
  }
}
