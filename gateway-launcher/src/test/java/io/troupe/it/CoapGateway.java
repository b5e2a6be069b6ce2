package io.troupe.it;

import io.troupe.agent.api.ServiceRequest;
import io.troupe.agent.api.ServiceResponse;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.api.TroupeAgentBuilder;
import io.troupe.contract.CoapKeys;
import io.troupe.launcher.LoopbackPorts;
import io.troupe.proto.v1.IdentityRole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A gateway with the CoAP bridge on loopback (DTLS and plain CoAP acting as {@link #PLAIN_AS}) and
 * an echo agent serving {@code echo.coap}: a request without a body is answered {@code METHOD
 * PATH}, any other with its own body and content type. The same agent serves {@code codes.coap}:
 * {@code /NNN} is answered with status NNN ({@code because NNN} as the reason of an error), {@code
 * /slow/MS} with 200 after MS milliseconds. {@link #served} counts the requests that reached the
 * agent, by path.
 */
final class CoapGateway implements AutoCloseable {

  static final String COMMUNITY = "coap";
  static final String ADDRESS = "echo." + COMMUNITY;

  /** The identity plain CoAP requests act as. */
  static final String PLAIN_AS = "carol";

  /** An identity that calls over DTLS. */
  static final String DTLS_USER = "dave";

  static final int MAX_PAYLOAD = 2 * 1024 * 1024;

  /** A second echo server that a test may start. */
  static final String SECOND = "echo-dev2";

  static final String CODES = "codes." + COMMUNITY;

  final GatewayFixture gw;
  final int plainPort;
  final int dtlsPort;
  final Map<String, AtomicInteger> served;
  private final TroupeAgent agent;

  private CoapGateway(
      final GatewayFixture gw,
      final int plainPort,
      final int dtlsPort,
      final TroupeAgent agent,
      final Map<String, AtomicInteger> served) {
    this.gw = gw;
    this.plainPort = plainPort;
    this.dtlsPort = dtlsPort;
    this.agent = agent;
    this.served = served;
  }

  /** How many requests for {@code path} reached the agent. */
  int served(final String path) {
    final AtomicInteger n = served.get(path);
    return n == null ? 0 : n.get();
  }

  static CoapGateway start(final String name) throws Exception {
    return start(name, config -> config);
  }

  /** As {@link #start(String)}, with the extension's config changed by {@code tweak}. */
  static CoapGateway start(final String name, final UnaryOperator<String> tweak) throws Exception {
    final int plain = freeUdpPort();
    final int dtls = freeUdpPort();
    final String config =
        GatewayFixture.CONFIG
            .replace("<max-payload-bytes>65536<", "<max-payload-bytes>" + MAX_PAYLOAD + "<")
            .replace(
                "<coap><dtls><bind>127.0.0.1</bind><port>0</port></dtls></coap>",
                // no <bind>: DTLS listens where MQTT does (127.0.0.1)
                "<coap><dtls><port>"
                    + dtls
                    + "</port></dtls><plain><bind>127.0.0.1</bind><port>"
                    + plain
                    + "</port><act-as>"
                    + PLAIN_AS
                    + "</act-as></plain></coap>");
    final GatewayFixture gw = GatewayFixture.start(name, tweak.apply(config));
    gw.addIdentity(PLAIN_AS, IdentityRole.CONSUMER);
    gw.addIdentity(DTLS_USER, IdentityRole.CONSUMER);
    final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
    final TroupeAgent agent =
        agent(gw, "echo-dev", served)
            .service(
                "codes",
                request -> {
                  count(served, request);
                  return codes(request);
                })
            .build();
    agent.startBlocking();
    return new CoapGateway(gw, plain, dtls, agent, served);
  }

  /** A new echo agent named {@code device}, not started. */
  TroupeAgent agent(final String device) throws Exception {
    return agent(gw, device, new ConcurrentHashMap<>()).build();
  }

  private static void count(final Map<String, AtomicInteger> served, final ServiceRequest r) {
    served.computeIfAbsent(r.path(), p -> new AtomicInteger()).incrementAndGet();
  }

  private static CompletableFuture<ServiceResponse> codes(final ServiceRequest request) {
    if (request.path().startsWith("/slow/")) {
      final long ms = Long.parseLong(request.path().substring("/slow/".length()));
      return CompletableFuture.supplyAsync(
          () -> ServiceResponse.ok("slow".getBytes(StandardCharsets.UTF_8), "text/plain"),
          CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS));
    }
    final int status = Integer.parseInt(request.path().substring(1));
    return CompletableFuture.completedFuture(
        status < 300
            ? new ServiceResponse(status, new byte[0], "", Map.of())
            : ServiceResponse.error(status, "because " + status));
  }

  private static TroupeAgentBuilder agent(
      final GatewayFixture gw, final String device, final Map<String, AtomicInteger> served)
      throws Exception {
    return TroupeAgent.builder()
        .port(gw.port())
        .deviceId(device)
        .password(gw.addIdentity(device, IdentityRole.DEVICE))
        .community(COMMUNITY)
        .members(PLAIN_AS, DTLS_USER, SECOND)
        .statusInterval(Duration.ofMillis(500))
        .service(
            "echo",
            request -> {
              count(served, request);
              final byte[] body =
                  request.body().length > 0
                      ? request.body()
                      : (request.method() + " " + request.path()).getBytes(StandardCharsets.UTF_8);
              final String type = request.body().length > 0 ? request.contentType() : "text/plain";
              return CompletableFuture.completedFuture(ServiceResponse.ok(body, type));
            });
  }

  /** The CoAP key of {@code identity}, as {@code troupe identity coap-key} prints it. */
  /** A hand-made DTLS session as {@link #DTLS_USER}, its handshake done (see {@link RawDtls}). */
  RawDtls rawDtls(final boolean keepAnswers) throws Exception {
    return RawDtls.connect(
        dtlsPort, DTLS_USER, keyOf(DTLS_USER), "/s/" + ADDRESS + "/hello", keepAnswers);
  }

  String keyOf(final String identity) throws IOException {
    return CoapKeys.read(gw.gateway.extensionHome()).keyOf(identity);
  }

  String plainUri(final String pathAfterS) {
    return "coap://127.0.0.1:" + plainPort + "/s/" + pathAfterS;
  }

  String dtlsUri(final String pathAfterS) {
    return "coaps://127.0.0.1:" + dtlsPort + "/s/" + pathAfterS;
  }

  /** A free loopback UDP port below the ephemeral range: see {@link LoopbackPorts}. */
  static int freeUdpPort() throws IOException {
    return LoopbackPorts.freeUdp();
  }

  @Override
  public void close() throws Exception {
    agent.close();
    gw.close();
  }

  /** Closes the agent, and the gateway as {@link GatewayFixture#closeInBackground()} does. */
  void closeInBackground() {
    agent.close();
    gw.closeInBackground();
  }
}
