package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.troupe.agent.cli.TroupeCli;
import io.troupe.contract.content.ContentNames;
import io.troupe.contract.content.SyncFetch;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.ShowTable;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.SyncDirective;
import io.troupe.proto.v1.SyncRow;
import io.troupe.proto.v1.TunnelRequest;
import io.troupe.proto.v1.TunnelResponse;
import io.troupe.proto.v1.UpdateCommunity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway's side of content synchronisation (R4) on the shared gateway ({@link SharedGateway}),
 * with bare Paho clients as the devices: two servers publish synchronised descriptors, the one
 * behind is told the merged descriptor, fetches the content it lacks through the gateway from the
 * holder, a consumer may not fetch, and the table shows how far each server is and the conflict the
 * merge resolved. Everything it creates is named {@code sgw-…}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SyncGatewayIT {

  private static final String COMMUNITY = "sgw-demo";
  private static final String ADDRESS = "notes." + COMMUNITY;

  private static GatewayFixture gw;
  private static final Map<String, String> passwords = new HashMap<>();
  private static MqttTestClient a;
  private static MqttTestClient b;
  private static MqttTestClient consumer;

  @BeforeAll
  static void twoServersAndAConsumer() throws Exception {
    gw = SharedGateway.fixture();
    a = device(gw, "sgw-a", IdentityRole.DEVICE);
    b = device(gw, "sgw-b", IdentityRole.DEVICE);
    consumer = device(gw, "sgw-c", IdentityRole.CONSUMER);
    ok(
        a,
        GatewayRequest.newBuilder()
            .setJoinCommunity(
                JoinCommunity.newBuilder().setCommunity(COMMUNITY).setCreateIfAbsent(true))
            .build());
    ok(
        a,
        GatewayRequest.newBuilder()
            .setUpdateCommunity(
                UpdateCommunity.newBuilder().setCommunity(COMMUNITY).addAddMembers("sgw-b"))
            .build());
    ok(
        b,
        GatewayRequest.newBuilder()
            .setJoinCommunity(JoinCommunity.newBuilder().setCommunity(COMMUNITY))
            .build());
    for (final MqttTestClient server : List.of(a, b)) {
      ok(
          server,
          GatewayRequest.newBuilder()
              .setRegisterService(
                  RegisterService.newBuilder().setCommunity(COMMUNITY).setService("notes"))
              .build());
      assertThat(server.subscribe("troupe/d/" + server.clientId + "/#")).isLessThan(0x80);
      final StatusMessage available =
          StatusMessage.newBuilder()
              .setDeviceId(server.clientId)
              .setAvailability(Availability.AVAILABLE)
              .build();
      assertThat(
              server.publish(
                  "troupe/c/" + COMMUNITY + "/status/" + server.clientId,
                  available.toByteArray(),
                  true))
          .isLessThan(0x80);
    }
  }

  @AfterAll
  static void close() {
    for (final MqttTestClient c : new MqttTestClient[] {a, b, consumer}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void theServerBehind_isToldTheMergedDescriptor_andFetchesTheContentFromTheHolder()
      throws Exception {
    // when: a holds hello.txt, b holds nothing yet
    assertThat(describe(a, held("ra", item("hello.txt", "hello", 1, "ra", 1)))).isLessThan(0x80);
    assertThat(describe(b, held("rb"))).isLessThan(0x80);

    // then: b is told the merged descriptor, with a as a source
    await()
        .pollInterval(Duration.ofMillis(20))
        .atMost(Duration.ofSeconds(10))
        .until(() -> sync(b, "hello.txt").isPresent());
    assertThat(sync(b, "hello.txt").get().getSourcesList()).contains("sgw-a");

    // when: b fetches the content by its hash; a answers the SYNC tunnel request
    final String hex = ContentNames.hex(sha("hello"));
    final MqttTestClient.Sent fetch = fetch(b, hex);
    final MqttTestClient.Answer forwarded =
        await()
            .pollInterval(Duration.ofMillis(20))
            .atMost(Duration.ofSeconds(10))
            .until(() -> inbox(a, "/req"), Optional::isPresent)
            .get();
    final TunnelRequest request = TunnelRequest.parseFrom(forwarded.body());
    assertThat(request.getMethod()).isEqualTo("SYNC");
    assertThat(request.getPath()).isEqualTo(hex);
    assertThat(request.getPropertiesMap()).containsEntry(SyncFetch.LENGTH, "5");
    answer(a, forwarded, request, "hello");

    // then: b gets the bytes, with the source named
    final MqttTestClient.Answer got = fetch.answer().get(10, TimeUnit.SECONDS);
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.text()).isEqualTo("hello");
    assertThat(got.properties()).containsEntry("server", "sgw-a");
  }

  @Test
  void aConsumerThatDoesNotServe_mayNotFetch() throws Exception {
    assertThat(consumer.subscribe("troupe/r/sgw-c/#")).isLessThan(0x80);
    final MqttTestClient.Answer refused =
        fetch(consumer, ContentNames.hex(sha("hello"))).answer().get(10, TimeUnit.SECONDS);
    assertThat(refused.status()).isEqualTo(403);
  }

  @Test
  void concurrentChanges_showInTheTableAsAConflict() throws Exception {
    describe(a, held("ra", item("both.txt", "from a", 10, "r0", 1, "ra", 1)));
    describe(b, held("rb", item("both.txt", "from b", 20, "r0", 1, "rb", 1)));

    final GatewayResponse table =
        await()
            .pollInterval(Duration.ofMillis(20))
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    ok(
                        a,
                        GatewayRequest.newBuilder()
                            .setShowTable(ShowTable.newBuilder().setAddress(ADDRESS))
                            .build()),
                t -> t.getTable().getSync().getConflictsCount() > 0);
    assertThat(table.getTable().getSync().getConflicts(0).getItem()).isEqualTo("both.txt");
    assertThat(table.getTable().getSync().getServersList())
        .extracting(SyncRow::getServer)
        .containsExactly("sgw-a", "sgw-b");
  }

  @Test
  void troupeSync_printsHowFarEachServerIs_andAsksEveryServerToReport() throws Exception {
    // given: the service has a merged descriptor
    assertThat(describe(a, held("ra", item("cli.txt", "cli", 1, "ra", 1)))).isLessThan(0x80);
    final Path file =
        Files.createDirectories(Path.of("target", "it", "sgw")).resolve("sgw-a.password");
    Files.writeString(file, passwords.get("sgw-a") + "\n");

    // when: its owner runs troupe sync, in this JVM
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final int exit =
        TroupeCli.run(
            new PrintWriter(out),
            new PrintWriter(err),
            "sync",
            ADDRESS,
            "-u",
            "sgw-a",
            "--password-file",
            file.toString(),
            "--port",
            Integer.toString(gw.port()));

    // then: it prints a line per server, and b is asked to report its descriptor
    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith("sync: " + ADDRESS).contains("sgw-a").contains("sgw-b");
    await()
        .pollInterval(Duration.ofMillis(20))
        .atMost(Duration.ofSeconds(10))
        .until(() -> sync(b, "cli.txt").filter(SyncDirective::getReport).isPresent());
  }

  private static MqttTestClient device(
      final GatewayFixture gw, final String name, final IdentityRole role) throws Exception {
    passwords.put(name, gw.addIdentity(name, role));
    final MqttTestClient c = MqttTestClient.connect(gw.port(), name, name, passwords.get(name));
    assertThat(c.subscribe("troupe/r/" + name + "/#")).isLessThan(0x80);
    return c;
  }

  private static GatewayResponse ok(final MqttTestClient c, final GatewayRequest request)
      throws Exception {
    final GatewayResponse r = GatewaySecurityIT.api(c, request);
    assertThat(r.getStatus()).as(r.getReason()).isIn(200, 201);
    return r;
  }

  private static ByteString sha(final String content) throws Exception {
    return ByteString.copyFrom(
        MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
  }

  private static Item item(
      final String name, final String content, final long modifiedAt, final Object... clock)
      throws Exception {
    final Item.Builder item =
        Item.newBuilder()
            .setName(name)
            .setSize(content.length())
            .setSha256(sha(content))
            .setModifiedAtMs(modifiedAt);
    for (int i = 0; i < clock.length; i += 2) {
      item.putClock((String) clock[i], ((Number) clock[i + 1]).longValue());
    }
    return item.build();
  }

  private static ServiceDescriptor held(final String replica, final Item... items) {
    return ServiceDescriptor.newBuilder()
        .setService("notes")
        .setReplica(replica)
        .addAllItems(List.of(items))
        .build();
  }

  private static int describe(final MqttTestClient server, final ServiceDescriptor d)
      throws Exception {
    return server.publish(
        "troupe/c/" + COMMUNITY + "/svc/notes/descriptor/" + server.clientId,
        d.toByteArray(),
        true);
  }

  /** The last sync directive {@code server} received whose merged descriptor has {@code item}. */
  private static Optional<SyncDirective> sync(final MqttTestClient server, final String item)
      throws Exception {
    SyncDirective last = null;
    for (final MqttTestClient.Answer m : server.received) {
      if (m.topic().endsWith("/ctl")) {
        final Control c = Control.parseFrom(m.body());
        if (c.hasSync()
            && c.getSync().getNewest().getItemsList().stream()
                .anyMatch(i -> i.getName().equals(item))) {
          last = c.getSync();
        }
      }
    }
    return Optional.ofNullable(last);
  }

  private static Optional<MqttTestClient.Answer> inbox(
      final MqttTestClient c, final String suffix) {
    return c.received.stream().filter(m -> m.topic().endsWith(suffix)).findFirst();
  }

  private static MqttTestClient.Sent fetch(final MqttTestClient who, final String hex)
      throws Exception {
    return who.request(
        "troupe/s/" + ADDRESS,
        "",
        "troupe/r/" + who.clientId + "/sync",
        Map.of(SyncFetch.ITEM, hex, SyncFetch.OFFSET, "0", SyncFetch.LENGTH, "5"),
        null);
  }

  /** {@code server} answers the forwarded {@code request} with {@code content}. */
  private static void answer(
      final MqttTestClient server,
      final MqttTestClient.Answer forwarded,
      final TunnelRequest request,
      final String content)
      throws Exception {
    final MqttProperties props = new MqttProperties();
    props.setCorrelationData(forwarded.correlation());
    final byte[] reply =
        TunnelResponse.newBuilder()
            .setRequestId(request.getRequestId())
            .setStatus(200)
            .setBody(ByteString.copyFromUtf8(content))
            .putProperties(SyncFetch.SIZE, Integer.toString(content.length()))
            .build()
            .toByteArray();
    server
        .client
        .publish("troupe/gw/reply/" + server.clientId, new MqttMessage(reply, 1, false, props))
        .waitForCompletion(10_000);
  }
}
