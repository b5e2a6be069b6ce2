package io.troupe.bench;

import io.troupe.agent.api.TroupeConsumer;
import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityRole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;

/** What every benchmark sets up the same way: ports, the extension, identities, clients. */
final class BenchSupport {

  /** Handler threads of the routed echo agent and of the direct echo responder alike. */
  static final int HANDLER_THREADS = 2;

  /**
   * The most answers either side publishes at once: the device agent's own cap, which it lowers to
   * the receive maximum the broker grants; the direct responder does the same.
   */
  static final int MAX_IN_FLIGHT = 1_000;

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
        .handlerThreads(HANDLER_THREADS)
        .build();
  }

  /**
   * What each side of a routed/direct comparison ran with, for the report: both sides publish
   * through the agent's {@code BoundedPublisher}, on {@link #HANDLER_THREADS} handler threads, with
   * TCP_NODELAY, in this JVM.
   */
  static String limits(final EchoResponder direct) {
    return String.format(
        "limits: direct echo responder %d answers in flight at most (min of %d and the broker's"
            + " receive maximum, %d), %d handler threads; routed echo agent the same rule, %d"
            + " handler threads; both TCP_NODELAY, in the benchmark's JVM",
        direct.inFlightLimit(),
        MAX_IN_FLIGHT,
        direct.receiveMaximum(),
        HANDLER_THREADS,
        HANDLER_THREADS);
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

  /** A connected client and the receive maximum the broker granted it (65,535 when unsaid). */
  record Connection(MqttAsyncClient client, int receiveMaximum) {}

  /** As {@link #connect(int, String, String, String)}, with the broker's receive maximum. */
  static Connection open(
      final int port, final String clientId, final String user, final String password)
      throws Exception {
    return open(
        new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence()),
        user,
        password);
  }

  private static MqttAsyncClient connect(
      final MqttAsyncClient client, final String user, final String password) throws Exception {
    return open(client, user, password).client();
  }

  private static Connection open(
      final MqttAsyncClient client, final String user, final String password) throws Exception {
    final MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setUserName(user);
    options.setPassword(password.getBytes(StandardCharsets.UTF_8));
    options.setSocketFactory(new io.troupe.agent.mqtt.NoDelaySocketFactory());
    final org.eclipse.paho.mqttv5.client.IMqttToken connected = client.connect(options);
    connected.waitForCompletion(10_000);
    final Integer granted =
        connected.getResponseProperties() == null
            ? null
            : connected.getResponseProperties().getReceiveMaximum();
    return new Connection(client, granted == null ? 65_535 : granted);
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
    return io.troupe.launcher.LoopbackPorts.freeTcp();
  }
}
