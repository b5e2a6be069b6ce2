package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.api.CallOptions;
import io.troupe.agent.api.CallResult;
import io.troupe.agent.api.ContentStore;
import io.troupe.agent.api.DirectoryHandler;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.api.TroupeConsumer;
import io.troupe.agent.process.AgentProcess;
import io.troupe.contract.content.ContentNames;
import io.troupe.proto.v1.IdentityRole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Content synchronisation with real agents (R3, R4, R17): a file added, changed and deleted in the
 * primary's folder appears, changes and disappears in the secondary's, which then serves it after
 * the primary is killed with SIGKILL (the primary runs as {@code troupe agent --serve-dir} in its
 * own process for that); a passive server's change made while it was away reaches the others when
 * it is back; two servers changing the same file while apart give the stated outcome (the later
 * change under the name, the other kept as {@code .conflict-...} on both, reported). On the shared
 * gateway ({@link SharedGateway}): every identity and community starts with {@code cs-}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ContentSyncIT {

  private static final String FETCHES = "io.troupe.gateway.sync.fetches";

  /** The bound for a change to reach every server. */
  private static final Duration CONVERGED = Duration.ofSeconds(10);

  private static GatewayFixture gw;
  private static Path home;
  private static final Map<String, String> passwords = new java.util.HashMap<>();
  private static TroupeConsumer consumer;
  private static final List<AutoCloseable> running = new ArrayList<>();
  private static final Map<String, ContentStore> stores = new java.util.HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    gw = SharedGateway.fixture();
    home = Files.createDirectories(Path.of("target", "it", "cs-" + System.nanoTime()));
    for (final String id : List.of("cs-primary", "cs-second", "cs-a", "cs-b", "cs-passive")) {
      passwords.put(id, gw.addIdentity(id, IdentityRole.DEVICE));
    }
    consumer =
        TroupeConsumer.builder()
            .port(gw.port())
            .user("cs-alice")
            .password(gw.addIdentity("cs-alice", IdentityRole.CONSUMER))
            .build();
    consumer.connect().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    for (final AutoCloseable c : running) {
      c.close();
    }
    if (consumer != null) {
      consumer.close();
    }
  }

  /** An agent serving {@code folder} as {@code service}, synchronised, in this JVM. */
  private static TroupeAgent agent(
      final String id,
      final String community,
      final String service,
      final Path folder,
      final boolean passive,
      final String... members)
      throws IOException {
    final ContentStore store = ContentStore.folder(folder);
    stores.put(id, store);
    final TroupeAgent agent =
        TroupeAgent.builder()
            .port(gw.port())
            .deviceId(id)
            .password(passwords.get(id))
            .community(community)
            .members(members)
            .passive(passive)
            .statusInterval(Duration.ofSeconds(1))
            .service(service, new DirectoryHandler(store))
            .content(service, store)
            .build();
    agent.startBlocking();
    running.add(agent);
    return agent;
  }

  private static Path folder(final String name) throws IOException {
    return Files.createDirectories(home.resolve(name));
  }

  private static Optional<String> text(final Path file) {
    try {
      return Optional.of(Files.readString(file));
    } catch (final IOException e) {
      return Optional.empty();
    }
  }

  private static void awaitContent(final Path file, final String content) {
    await()
        .atMost(CONVERGED)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> text(file).filter(content::equals).isPresent());
  }

  @Test
  void primarysChanges_reachTheSecondary_whichServesThemAfterThePrimaryIsKilled() throws Exception {
    // given the primary serves its folder from its own process, the secondary in this JVM
    final Path primaryDir = folder("primary");
    final Path secondDir = folder("second");
    Files.writeString(primaryDir.resolve("index.txt"), "first page");
    for (int i = 0; i < 9; i++) {
      Files.writeString(primaryDir.resolve("note-" + i + ".txt"), "note " + i);
    }
    final AgentProcess primary =
        AgentProcess.start(
            List.of(
                "agent",
                "--port",
                Integer.toString(gw.port()),
                "--id",
                "cs-primary",
                "--community",
                "cs-album",
                "--member",
                "cs-second",
                "--service",
                "album",
                "--serve-dir",
                primaryDir.toString(),
                "--status-interval",
                "1s"),
            Map.of("TROUPE_PASSWORD", passwords.get("cs-primary")));
    running.add(primary);
    primary.awaitServing(Duration.ofSeconds(30));
    final long fetchesBefore = gw.gateway.counter(FETCHES);
    agent("cs-second", "cs-album", "album", secondDir, false);
    awaitContent(secondDir.resolve("index.txt"), "first page");
    for (int i = 0; i < 9; i++) {
      awaitContent(secondDir.resolve("note-" + i + ".txt"), "note " + i);
    }
    // ten small files: fetched in a bundle, not one request each
    assertThat(gw.gateway.counter(FETCHES) - fetchesBefore).isBetween(1L, 3L);

    // a file added, changed and deleted on the primary
    Files.createDirectories(primaryDir.resolve("2026"));
    Files.writeString(primaryDir.resolve("2026/trip.txt"), "sunny");
    awaitContent(secondDir.resolve("2026/trip.txt"), "sunny");
    Files.writeString(primaryDir.resolve("2026/trip.txt"), "rainy after all");
    awaitContent(secondDir.resolve("2026/trip.txt"), "rainy after all");
    Files.delete(primaryDir.resolve("index.txt"));
    await()
        .atMost(CONVERGED)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> !Files.exists(secondDir.resolve("index.txt")));

    // when the primary is killed, the secondary serves the new content
    primary.kill();
    final CallResult served =
        await()
            .atMost(CONVERGED)
            .until(
                () ->
                    consumer.callBlocking(
                        "album.cs-album",
                        new byte[0],
                        CallOptions.defaults().withMethod("GET").withPath("/2026/trip.txt")),
                CallResult::isSuccess);
    assertThat(served.text()).isEqualTo("rainy after all");
    assertThat(served.server()).contains("cs-second");
  }

  @Test
  void passiveChangeWhileAway_andConcurrentChanges_reachEveryServerAsTheRuleSays()
      throws Exception {
    final Path aDir = folder("a");
    final Path bDir = folder("b");
    final Path passiveDir = folder("passive");
    Files.writeString(aDir.resolve("notes.txt"), "base");
    agent("cs-a", "cs-notes", "notes", aDir, false, "cs-b", "cs-passive");
    TroupeAgent b = agent("cs-b", "cs-notes", "notes", bDir, false);
    TroupeAgent passive = agent("cs-passive", "cs-notes", "notes", passiveDir, true);
    awaitContent(bDir.resolve("notes.txt"), "base");
    awaitContent(passiveDir.resolve("notes.txt"), "base");

    // a passive server's change made while it was away reaches the others when it is back
    passive.close();
    Files.writeString(passiveDir.resolve("offline.txt"), "written offline");
    passive = agent("cs-passive", "cs-notes", "notes", passiveDir, true);
    awaitContent(aDir.resolve("offline.txt"), "written offline");
    awaitContent(bDir.resolve("offline.txt"), "written offline");

    // two servers change the same file while apart: the later change keeps the name
    b.close();
    Files.writeString(aDir.resolve("notes.txt"), "from a");
    Files.setLastModifiedTime(
        aDir.resolve("notes.txt"), FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    Files.writeString(bDir.resolve("notes.txt"), "from b, later");
    Files.setLastModifiedTime(
        bDir.resolve("notes.txt"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    b = agent("cs-b", "cs-notes", "notes", bDir, false);

    // then every server holds the later change under the name and the other as a copy
    final String copy =
        ContentNames.conflictCopy(
            "notes.txt",
            stores.get("cs-a").replica(),
            io.troupe.proto.v1.Item.newBuilder()
                .setSha256(
                    com.google.protobuf.ByteString.copyFrom(
                        java.security.MessageDigest.getInstance("SHA-256")
                            .digest("from a".getBytes(StandardCharsets.UTF_8))))
                .build()
                .getSha256());
    for (final Path dir : List.of(aDir, bDir, passiveDir)) {
      awaitContent(dir.resolve("notes.txt"), "from b, later");
      awaitContent(dir.resolve(copy), "from a");
    }
    // and the conflict is reported to the servers with the merged descriptor
    final TroupeAgent reporter = b;
    await()
        .atMost(CONVERGED)
        .until(
            () ->
                reporter.newestDescriptor("notes").stream()
                    .flatMap(d -> d.getConflictsList().stream())
                    .anyMatch(c -> c.getItem().equals("notes.txt") && c.getKeptAs().equals(copy)));
    try (Stream<Path> files = Files.list(aDir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(".troupe", "notes.txt", copy, "offline.txt");
    }
  }
}
