package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.launcher.EmbeddedGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway's home is its owner's alone (folders 0700, files 0600, loose ones left by an earlier
 * run tightened at start, HiveMQ's file persistence included), and {@code troupe identity} finds
 * the admin secret in it through {@code --home}, {@code --data} or {@code TROUPE_HOME}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayHomeIT {

  private static Path home;
  private static EmbeddedGateway gateway;

  @BeforeAll
  static void startOnALooseHome() throws Exception {
    home = Files.createDirectories(Path.of("target", "it", "home-" + System.nanoTime()));
    if (Files.getFileStore(home).supportsFileAttributeView("posix")) {
      // what an earlier launcher, or a lax umask, left behind
      Files.createDirectories(home.resolve("data"));
      Files.writeString(home.resolve("data").resolve("leftover"), "message body");
      Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(
          home.resolve("data"), PosixFilePermissions.fromString("rwxrwxr-x"));
      Files.setPosixFilePermissions(
          home.resolve("data").resolve("leftover"), PosixFilePermissions.fromString("rw-r--r--"));
    }
    gateway =
        EmbeddedGateway.builder()
            .home(home)
            .port(GatewayFixture.freePort())
            .extensionZip(
                Path.of(System.getProperty("troupe.extension.zip", "target/troupe-gateway.zip")))
            .inMemoryPersistence(false)
            .extensionConfig(GatewayFixture.CONFIG)
            .build();
    gateway.start();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> Files.exists(gateway.adminSecretFile()));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  private static String permissions(final Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void homeAndEverythingTheLauncherWrote_areTheOwnersOnly() throws Exception {
    Assumptions.assumeTrue(Files.getFileStore(home).supportsFileAttributeView("posix"));
    final Path extension = gateway.extensionHome();
    for (final Path folder :
        new Path[] {
          home,
          home.resolve("conf"),
          home.resolve("data"),
          home.resolve("extensions"),
          extension,
          extension.resolve("conf"),
          extension.resolve("data")
        }) {
      assertThat(permissions(folder)).as(folder.toString()).isEqualTo("rwx------");
    }
    for (final Path file :
        new Path[] {
          home.resolve("conf").resolve("config.xml"),
          home.resolve("data").resolve("leftover"),
          extension.resolve("conf").resolve("config.xml"),
          extension.resolve("hivemq-extension.xml")
        }) {
      assertThat(permissions(file)).as(file.toString()).isEqualTo("rw-------");
    }
    // HiveMQ's file persistence (message bodies) lies inside the private data folder
    try (var entries = Files.list(home.resolve("data"))) {
      assertThat(entries.map(p -> p.getFileName().toString())).isNotEmpty();
    }
  }

  private static String[] add(final String name, final String... where) {
    final String[] args = new String[5 + where.length];
    System.arraycopy(
        new String[] {
          "identity", "add", name, "--role", "consumer",
        },
        0,
        args,
        0,
        5);
    System.arraycopy(where, 0, args, 5, where.length);
    return args;
  }

  private static String[] withPort(final String... args) {
    final String[] out = new String[args.length + 2];
    System.arraycopy(args, 0, out, 0, args.length);
    out[args.length] = "--port";
    out[args.length + 1] = Integer.toString(gateway.port());
    return out;
  }

  @Test
  void identityAdd_findsTheAdminSecretThroughHomeDataOrTroupeHome() throws Exception {
    final String dir = home.toAbsolutePath().toString();
    final CommandLineIT.Run byHome =
        CommandLineIT.troupe(Map.of(), withPort(add("viahome", "--home", dir)));
    assertThat(byHome.exit()).as(byHome.err()).isZero();
    assertThat(byHome.out()).startsWith("viahome ");
    final CommandLineIT.Run byData =
        CommandLineIT.troupe(Map.of(), withPort(add("viadata", "--data", dir)));
    assertThat(byData.exit()).as(byData.err()).isZero();
    final CommandLineIT.Run byEnv =
        CommandLineIT.troupe(Map.of("TROUPE_HOME", dir), withPort(add("viaenv")));
    assertThat(byEnv.exit()).as(byEnv.err()).isZero();
    assertThat(byEnv.err()).isEmpty();
  }

  @Test
  void identityAdd_withTheWrongHome_saysInOneLineWhereItLooked() throws Exception {
    final Path wrong = home.resolveSibling("not-a-gateway").toAbsolutePath();
    final CommandLineIT.Run r =
        CommandLineIT.troupe(Map.of(), withPort(add("lost", "--home", wrong.toString())));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err())
        .startsWith("troupe: no admin password: ")
        .contains(wrong.resolve("extensions/troupe-gateway/data/admin.secret").toString());
    assertThat(r.out()).isEmpty();
  }
}
