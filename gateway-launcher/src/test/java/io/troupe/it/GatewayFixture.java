package io.troupe.it;

import io.troupe.launcher.EmbeddedGateway;
import io.troupe.launcher.LoopbackPorts;
import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One embedded gateway for a test class: HiveMQ CE with the Troupe extension loaded from the folder
 * unpacked from the built zip, on a free loopback port, with short timeouts.
 */
final class GatewayFixture implements AutoCloseable {

  static final long FORWARD_TIMEOUT_MS = 1_000;
  static final long DEADLINE_MS = 8_000;
  static final String CONFIG =
      "<troupe><routing>"
          + "<forward-timeout-ms>"
          + FORWARD_TIMEOUT_MS
          + "</forward-timeout-ms>"
          + "<default-deadline-ms>"
          + DEADLINE_MS
          + "</default-deadline-ms>"
          + "<status-timeout-ms>20000</status-timeout-ms>"
          + "</routing><limits><max-payload-bytes>65536</max-payload-bytes></limits>"
          // fast hashes: the shipped 600,000 iterations would add about 0.2 s per identity
          + "<logins><hash-iterations>10000</hash-iterations></logins>"
          // CoAP over DTLS on any free loopback port: test classes must not contend for 5684
          + "<coap><dtls><bind>127.0.0.1</bind><port>0</port></dtls></coap></troupe>";

  /** Gateways of this JVM still stopping after {@link #closeInBackground()}. */
  private static final Set<CompletableFuture<Void>> stopping = ConcurrentHashMap.newKeySet();

  final EmbeddedGateway gateway;
  final Path home;
  private String adminPassword;

  private GatewayFixture(final EmbeddedGateway gateway, final Path home) {
    this.gateway = gateway;
    this.home = home;
  }

  static GatewayFixture start(final String name) throws Exception {
    return start(name, CONFIG);
  }

  static GatewayFixture start(final Path home, final int port) throws Exception {
    return start(home, port, CONFIG);
  }

  /** A gateway whose extension reads {@code config} instead of {@link #CONFIG}. */
  static GatewayFixture start(final String name, final String config) throws Exception {
    try {
      return start(freshHome(name), freePort(), config);
    } catch (final IllegalStateException notStarted) {
      if (!String.valueOf(notStarted.getMessage()).startsWith("HiveMQ did not start")) {
        throw notStarted;
      }
      // the port was free when drawn, and another process's explicit bind took it since
      return start(freshHome(name), freePort(), config);
    }
  }

  private static Path freshHome(final String name) throws IOException {
    return Files.createDirectories(Path.of("target", "it", name + "-" + System.nanoTime()));
  }

  /** A gateway on {@code home} and {@code port} whose extension reads {@code config}. */
  static GatewayFixture start(final Path home, final int port, final String config)
      throws Exception {
    return start(home, port, config, false);
  }

  /**
   * As above; with {@code tls}, also an MQTT-over-TLS listener on a free port with a self-signed
   * certificate (as {@code troupe gateway --tls} makes).
   */
  static GatewayFixture start(
      final Path home, final int port, final String config, final boolean tls) throws Exception {
    final EmbeddedGateway.Builder builder =
        EmbeddedGateway.builder()
            .home(home)
            .port(port)
            .extensionZip(
                Path.of(System.getProperty("troupe.extension.zip", "target/troupe-gateway.zip")))
            .inMemoryPersistence(true)
            .extensionConfig(config);
    if (tls) {
      builder.tls(freePort(), null, null);
    }
    final EmbeddedGateway gateway = builder.build();
    gateway.start();
    return new GatewayFixture(gateway, home);
  }

  int port() {
    return gateway.port();
  }

  String adminPassword() throws IOException {
    if (adminPassword == null) {
      adminPassword = Files.readString(gateway.adminSecretFile()).trim();
    }
    return adminPassword;
  }

  /** Adds an identity through the gateway API as admin and returns its password. */
  String addIdentity(final String name, final IdentityRole role) throws Exception {
    final GatewayResponse response =
        api(
            GatewayRequest.newBuilder()
                .setAddIdentity(AddIdentity.newBuilder().setName(name).setRole(role))
                .build());
    if (response.getStatus() != 201) {
      throw new IllegalStateException(
          "could not add " + name + ": " + response.getStatus() + " " + response.getReason());
    }
    return response.getIdentity().getPassword();
  }

  /** Sends {@code request} to the gateway API as admin and returns the answer. */
  GatewayResponse api(final GatewayRequest request) throws Exception {
    try (MqttTestClient admin =
        MqttTestClient.connect(port(), "admin-" + System.nanoTime(), "admin", adminPassword())) {
      admin.subscribe("troupe/r/" + admin.clientId + "/#");
      final MqttTestClient.Answer answer =
          admin
              .requestBytes(
                  "troupe/gw/api", request.toByteArray(), "troupe/r/" + admin.clientId + "/api")
              .get(10, TimeUnit.SECONDS);
      return GatewayResponse.parseFrom(answer.body());
    }
  }

  /** A free loopback port below the ephemeral range: see {@link LoopbackPorts}. */
  static int freePort() throws IOException {
    return LoopbackPorts.freeTcp();
  }

  /** Stops the broker and returns once it has stopped: before a restart on the same home. */
  @Override
  public void close() throws Exception {
    gateway.close();
  }

  /**
   * Stops the broker on a thread of its own and returns at once, for the end of a test class:
   * HiveMQ's stop waits about 4 s (Netty's quiet period, then its persistence's), and the next
   * class in this JVM, on a home and ports of its own, need not wait with it. Not before a restart
   * on the same home or port: {@link #close()} returns once the broker is stopped.
   */
  void closeInBackground() {
    final CompletableFuture<Void> stopped = new CompletableFuture<>();
    stopping.add(stopped);
    final Thread stop =
        new Thread(
            () -> {
              try {
                gateway.close();
              } finally {
                stopping.remove(stopped);
                stopped.complete(null);
              }
            },
            "stop " + home.getFileName());
    stop.setDaemon(true);
    stop.start();
  }

  /**
   * Returns once every gateway this JVM stops in the background has stopped: before measuring the
   * heap, which a gateway still stopping would inflate.
   */
  static void awaitBackgroundStops() {
    CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
  }
}
