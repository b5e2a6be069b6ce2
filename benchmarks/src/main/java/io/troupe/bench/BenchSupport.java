package io.troupe.bench;

import io.troupe.agent.api.TroupeConsumer;
import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;

/** What every benchmark sets up the same way: ports, the extension, identities, clients. */
final class BenchSupport {

  private BenchSupport() {}

  /**
   * Adds {@code identities} (name and role, in order) through the API as the gateway's admin and
   * returns their generated passwords by name.
   */
  static java.util.Map<String, String> identities(
      final io.troupe.launcher.EmbeddedGateway gateway,
      final int port,
      final java.util.Map<String, IdentityRole> identities)
      throws IOException {
    final String admin = Files.readString(gateway.adminSecretFile()).trim();
    final java.util.Map<String, String> passwords = new java.util.HashMap<>();
    try (TroupeConsumer a =
        TroupeConsumer.builder().port(port).user("admin").password(admin).build()) {
      a.connect().join();
      identities.forEach((name, role) -> passwords.put(name, add(a, name, role)));
    }
    return passwords;
  }

  /** Adds an identity through the API as admin and returns its generated password. */
  static String add(final TroupeConsumer admin, final String name, final IdentityRole role) {
    return admin
        .gatewayApi(
            GatewayRequest.newBuilder()
                .setAddIdentity(AddIdentity.newBuilder().setName(name).setRole(role))
                .build())
        .join()
        .getIdentity()
        .getPassword();
  }

  /** The routed path's server: device {@code bench-dev} serving {@code echo.bench}. */
  static io.troupe.agent.api.TroupeAgent echoAgent(final int port, final String password) {
    return io.troupe.agent.api.TroupeAgent.builder()
        .port(port)
        .deviceId("bench-dev")
        .password(password)
        .community("bench")
        .service("echo", io.troupe.agent.api.ServiceHandler.echo())
        .handlerThreads(2)
        .build();
  }

  /** The routed path's consumer: {@code bench-consumer} calling {@code echo.bench}. */
  static Requester routedRequester(final int port, final String password) throws Exception {
    return new Requester(
        connect(port, "bench-consumer-1", "bench-consumer", password),
        "troupe/s/echo.bench",
        "troupe/r/bench-consumer-1/resp");
  }

  /** A Paho client with TCP_NODELAY, clean start, connected as {@code user}. */
  static MqttAsyncClient connect(
      final int port, final String clientId, final String user, final String password)
      throws Exception {
    return connect(
        new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence()),
        user,
        password);
  }

  /**
   * As above, its keep-alive pings on {@code timer} rather than a timer thread of its own: with a
   * thousand clients, a thousand fewer threads. (Paho's receiver, sender and callback threads stay
   * per client: a shared pool would have to hold them all.)
   */
  static MqttAsyncClient connect(
      final int port,
      final String clientId,
      final String user,
      final String password,
      final java.util.concurrent.ScheduledExecutorService timer)
      throws Exception {
    return connect(
        new MqttAsyncClient(
            "tcp://127.0.0.1:" + port,
            clientId,
            new MemoryPersistence(),
            new org.eclipse.paho.mqttv5.client.TimerPingSender(timer),
            null),
        user,
        password);
  }

  private static MqttAsyncClient connect(
      final MqttAsyncClient client, final String user, final String password) throws Exception {
    final MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setUserName(user);
    options.setPassword(password.getBytes(StandardCharsets.UTF_8));
    options.setSocketFactory(new io.troupe.agent.internal.NoDelaySocketFactory());
    client.connect(options).waitForCompletion(10_000);
    return client;
  }

  /**
   * A gateway, not started, in a new temporary home, on a free port, with in-memory MQTT
   * persistence and {@code extensionConfig} as the extension's {@code conf/config.xml}.
   */
  static io.troupe.launcher.EmbeddedGateway gateway(final String extensionConfig)
      throws IOException {
    final Path home =
        Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "troupe-bench");
    return io.troupe.launcher.EmbeddedGateway.builder()
        .home(home)
        .port(freePort())
        .extensionZip(zip())
        .inMemoryPersistence(true)
        .extensionConfig(extensionConfig)
        .build();
  }

  /** The packaged extension, from the project root or from the benchmarks folder. */
  static Path zip() {
    final Path beside = Path.of("gateway-launcher", "target", "troupe-gateway.zip");
    if (Files.exists(beside)) {
      return beside;
    }
    return Path.of(
        System.getProperty(
            "troupe.extension.zip", "../gateway-launcher/target/troupe-gateway.zip"));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
