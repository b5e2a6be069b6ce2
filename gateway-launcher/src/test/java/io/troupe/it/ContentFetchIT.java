package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.api.ServiceHandler;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.internal.GatewayApiClient;
import io.troupe.agent.internal.GatewayRequests;
import io.troupe.agent.internal.MqttSession;
import io.troupe.agent.internal.content.MqttItemSource;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.SyncReport;
import io.troupe.proto.v1.SyncService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fetching content between servers through the gateway (R4), with real agents as the sources
 * (answering {@code SYNC} from their content stores) and the agent's own {@link MqttItemSource} as
 * the fetcher, over a real Paho session as a registered server of the service. A source that lies
 * is refused and the item fetched again from another; a 3 MB item resumes from its partial when its
 * source goes away mid-transfer; a consumer cannot fetch. On the shared gateway ({@link
 * SharedGateway}): every identity, community and client id starts with {@code cf}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ContentFetchIT {

  private static final String COMMUNITY = "cf";
  private static final String FETCHER = "cf-fetcher";

  /**
   * The shared gateway allows answers of 64 KiB ({@code limits/max-payload-bytes}); the default 1
   * MiB takes the 256 KiB chunks the agent asks for by default.
   */
  private static final int CHUNK = 48 * 1024;

  private static final byte[] SMALL = random(150_000, 1);
  private static final byte[] BIG = random(3_000_000, 2);

  private static GatewayFixture gw;
  private static Path dir;
  private static final List<TroupeAgent> agents = new ArrayList<>();
  private static final ExecutorService io = Executors.newFixedThreadPool(2);
  private static final HeldContent liar = new HeldContent("cf-liar-r", true).put("a.bin", SMALL);
  private static final HeldContent leaving =
      new HeldContent("cf-leaving-r", false).put("big.bin", BIG).holdFrom(2L * CHUNK);
  private static final HeldContent honest =
      new HeldContent("cf-honest-r", false).put("a.bin", SMALL);
  private static final HeldContent honestBig =
      new HeldContent("cf-honest-big-r", false).put("big.bin", BIG);
  private static TroupeAgent leavingAgent;
  private static MqttSession fetcher;

  @BeforeAll
  static void start() throws Exception {
    gw = SharedGateway.fixture();
    dir = Files.createDirectories(Path.of("target", "it", "cf-" + System.nanoTime()));
    // registered in this order: with no load, the gateway asks the first holder first
    agents.add(source("cf-liar", "files", liar));
    leavingAgent = source("cf-leaving", "big", leaving);
    agents.add(leavingAgent);
    final TroupeAgent both = source("cf-honest", "files", honest);
    agents.add(both);
    fetcher = session(FETCHER, IdentityRole.DEVICE);
    final GatewayApiClient api = api(fetcher);
    api.call(GatewayRequests.join(COMMUNITY)).join();
    for (final String service : List.of("files", "big")) {
      final ServiceDescriptor empty =
          ServiceDescriptor.newBuilder().setService(service).setReplica("cf-fetcher-r").build();
      api.call(GatewayRequests.register(COMMUNITY, service, Optional.of(empty))).join();
    }
    // the gateway must know who holds what before anyone fetches
    await()
        .pollInterval(Duration.ofMillis(50))
        .atMost(Duration.ofSeconds(10))
        .until(() -> reported(api, "files.cf", "cf-liar", "cf-honest"));
    await()
        .pollInterval(Duration.ofMillis(50))
        .atMost(Duration.ofSeconds(10))
        .until(() -> reported(api, "big.cf", "cf-leaving", "cf-honest"));
  }

  private static TroupeAgent source(final String id, final String service, final HeldContent store)
      throws Exception {
    final var builder =
        TroupeAgent.builder()
            .port(gw.port())
            .deviceId(id)
            .password(gw.addIdentity(id, IdentityRole.DEVICE))
            .community(COMMUNITY)
            .members("cf-liar", "cf-leaving", "cf-honest", FETCHER)
            .statusInterval(Duration.ofMillis(500))
            .service(service, ServiceHandler.echo(), store.descriptor(service))
            .content(service, store);
    if (id.equals("cf-honest")) {
      builder
          .service("big", ServiceHandler.echo(), honestBig.descriptor("big"))
          .content("big", honestBig);
    }
    final TroupeAgent agent = builder.build();
    agent.startBlocking();
    return agent;
  }

  private static MqttSession session(final String id, final IdentityRole role) throws Exception {
    final MqttSession s =
        new MqttSession(
            new MqttSession.Settings(
                "127.0.0.1",
                gw.port(),
                id,
                Optional.of(id),
                Optional.of(gw.addIdentity(id, role).getBytes(StandardCharsets.UTF_8)),
                false));
    s.connect().join();
    s.subscribe(Topics.withRoot("troupe").responseFilter(id)).join();
    return s;
  }

  private static GatewayApiClient api(final MqttSession s) {
    return new GatewayApiClient(s, Topics.withRoot("troupe"), Duration.ofSeconds(5));
  }

  private static boolean reported(
      final GatewayApiClient api, final String address, final String... holders) {
    final SyncReport report =
        api.call(
                GatewayRequest.newBuilder()
                    .setSyncService(SyncService.newBuilder().setAddress(address))
                    .build())
            .join()
            .getSync();
    return List.of(holders).stream()
        .allMatch(
            h ->
                report.getServersList().stream()
                    .anyMatch(
                        r -> r.getServer().equals(h) && r.getReported() && r.getBehind() == 0));
  }

  private static MqttItemSource fetching(final MqttSession s) {
    return new MqttItemSource(s, Topics.withRoot("troupe"), s.clientId(), io, CHUNK);
  }

  @AfterAll
  static void stop() {
    agents.forEach(TroupeAgent::close);
    if (fetcher != null) {
      fetcher.close();
    }
    io.shutdownNow();
  }

  @Test
  void fetch_sourceSendsCorruptContent_refusedAndFetchedAgainFromAnotherMember() throws Exception {
    final Item item = HeldContent.item("a.bin", SMALL);
    final Path partial = dir.resolve("a.partial");

    fetching(fetcher).fetch("files.cf", item, partial).get(30, TimeUnit.SECONDS);

    assertThat(Files.readAllBytes(partial)).isEqualTo(SMALL);
    assertThat(liar.reads("a.bin")).as("the liar was asked first").contains(0L);
    assertThat(honest.reads("a.bin")).as("then all of it again from another").contains(0L);
  }

  @Test
  void fetch_sourceGoesAwayMidTransfer_resumesFromThePartialAtAnotherMember() throws Exception {
    final Item item = HeldContent.item("big.bin", BIG);
    final Path partial = dir.resolve("big.partial");

    final var fetch = fetching(fetcher).fetch("big.cf", item, partial);
    await()
        .pollInterval(Duration.ofMillis(20))
        .atMost(Duration.ofSeconds(20))
        .until(leaving::isHolding);
    final long atTheSwitch = Files.size(partial);
    leavingAgent.close();
    fetch.get(30, TimeUnit.SECONDS);

    assertThat(Files.readAllBytes(partial)).isEqualTo(BIG);
    assertThat(atTheSwitch).isEqualTo(2L * CHUNK);
    assertThat(leaving.reads("big.bin")).startsWith(0L, (long) CHUNK);
    assertThat(honestBig.reads("big.bin"))
        .as("the second holder is asked only for what the partial lacked")
        .isNotEmpty()
        .allMatch(offset -> offset >= atTheSwitch);
  }

  @Test
  void fetch_consumerNotAServer_refused403() throws Exception {
    final MqttSession consumer = session("cf-consumer", IdentityRole.CONSUMER);
    try {
      final Item item = HeldContent.item("a.bin", SMALL);

      assertThatThrownBy(
              () ->
                  fetching(consumer)
                      .fetch("files.cf", item, dir.resolve("consumer.partial"))
                      .get(20, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("403");
      assertThat(dir.resolve("consumer.partial")).doesNotExist();
    } finally {
      consumer.close();
    }
  }

  private static byte[] random(final int size, final long seed) {
    final byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }
}
