package io.troupe.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * The Californium parts of the CoAP benchmark: a caller (one client endpoint, plain or DTLS with
 * one PSK, straight to its target or through a forward proxy), the failures it counts by code, and
 * the device it calls, an echo server with the bridge's message sizes.
 */
final class CoapPeers {

  static {
    CoapConfig.register();
    UdpConfig.register();
    DtlsConfig.register();
  }

  private CoapPeers() {}

  /** The bridge's message and block sizes, so both sides split and carry messages alike. */
  static Configuration configuration() {
    final Configuration c = Configuration.createStandardWithoutFile();
    c.set(CoapConfig.MAX_MESSAGE_SIZE, 1024);
    c.set(CoapConfig.PREFERRED_BLOCK_SIZE, 1024);
    // a run sends up to 65,535 requests, each with a new message id, within one exchange lifetime
    c.set(CoapConfig.MID_TRACKER, CoapConfig.TrackerMode.NULL);
    return c;
  }

  /** The calls that were not served, by what came back: a CoAP code, or what went wrong. */
  static final class Failures {
    private final Map<String, LongAdder> byCode = new ConcurrentHashMap<>();

    void add(final String code) {
      byCode.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    long total() {
      return byCode.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** "none", or each code with its count, in order: "5.03 x12, no answer x1". */
    @Override
    public String toString() {
      final Map<String, Long> sorted = new TreeMap<>();
      byCode.forEach((code, n) -> sorted.put(code, n.sum()));
      return sorted.isEmpty()
          ? "none"
          : String.join(
              ", ", sorted.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue()).toList());
    }
  }

  /**
   * One client endpoint on its own port: each run gets a fresh one, so no message id repeats. A
   * call is served only by a 2.xx answer carrying the body back; anything else is counted in its
   * failures by code.
   */
  static final class Caller implements AutoCloseable {
    private final CoapClient client = new CoapClient();
    private final CoapEndpoint endpoint;
    private final String uri;
    private final @org.jetbrains.annotations.Nullable String proxyUri;
    private Failures failures = new Failures();

    private Caller(
        final CoapEndpoint endpoint,
        final String uri,
        final @org.jetbrains.annotations.Nullable String proxyUri) {
      this.endpoint = endpoint;
      this.uri = uri;
      this.proxyUri = proxyUri;
      client.setEndpoint(endpoint);
    }

    private Caller(final CoapEndpoint endpoint, final String uri) {
      this(endpoint, uri, null);
    }

    /** Counts this caller's failures in {@code failures}, shared with the other runs of a path. */
    Caller countingIn(final Failures failures) {
      this.failures = failures;
      return this;
    }

    /** The port of the URI it calls. */
    int port() {
      return java.net.URI.create(uri).getPort();
    }

    static Caller plain(final String uri) {
      return new Caller(plainEndpoint(), uri);
    }

    /**
     * A plain caller of {@code target} through the forward proxy at {@code proxy}: each request
     * goes to the proxy and names {@code target} in its Proxy-Uri option (RFC 7252 section 5.7).
     */
    static Caller proxied(final String proxy, final String target) {
      return new Caller(plainEndpoint(), proxy, target);
    }

    private static CoapEndpoint plainEndpoint() {
      return new CoapEndpoint.Builder()
          .setInetSocketAddress(loopback(0))
          .setConfiguration(configuration())
          .build();
    }

    static Caller dtls(final String uri, final String identity, final String key) {
      final Configuration c = configuration();
      final DtlsConnectorConfig dtls =
          DtlsConnectorConfig.builder(c)
              .setAddress(loopback(0))
              .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY)
              .setAdvancedPskStore(
                  new AdvancedSinglePskStore(identity, key.getBytes(StandardCharsets.US_ASCII)))
              .build();
      return new Caller(
          new CoapEndpoint.Builder()
              .setConnector(new DTLSConnector(dtls))
              .setConfiguration(c)
              .build(),
          uri);
    }

    /** A confirmable POST of {@code body}; fails unless answered 2.xx with the same body. */
    CompletableFuture<CoapResponse> call(final byte[] body) {
      final CompletableFuture<CoapResponse> done = new CompletableFuture<>();
      final Request request = Request.newPost();
      request.setURI(uri);
      if (proxyUri != null) {
        request.getOptions().setProxyUri(proxyUri);
      }
      request.setPayload(body);
      request.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_OCTET_STREAM);
      client.advanced(
          new CoapHandler() {
            @Override
            public void onLoad(final CoapResponse response) {
              if (response.getCode().isSuccess() && response.getPayloadSize() == body.length) {
                done.complete(response);
              } else {
                failures.add(
                    response.getCode().isSuccess()
                        ? response.getCode() + " with another body"
                        : response.getCode().toString());
                done.completeExceptionally(
                    new IllegalStateException(
                        response.getCode() + " " + response.getResponseText()));
              }
            }

            @Override
            public void onError() {
              failures.add("no answer");
              done.completeExceptionally(new IllegalStateException("no answer"));
            }
          },
          request);
      return done;
    }

    @Override
    public void close() {
      client.shutdown();
      endpoint.destroy();
    }
  }

  /** Californium answering every POST on {@code /echo} with its body at once, 2.04 Changed. */
  static final class EchoServer implements AutoCloseable {
    private final CoapServer server;
    final int plainPort;
    final int dtlsPort;

    EchoServer(final int plainPort, final int dtlsPort, final String identity, final String key) {
      this(plainPort, dtlsPort, identity, key, "echo");
    }

    /** Echoes on {@code /{name}} and any path below it. */
    EchoServer(
        final int plainPort,
        final int dtlsPort,
        final String identity,
        final String key,
        final String name) {
      this.plainPort = plainPort;
      this.dtlsPort = dtlsPort;
      final Configuration c = configuration();
      server = new CoapServer(c);
      server.add(
          new CoapResource(name) {
            @Override
            public org.eclipse.californium.core.server.resources.Resource getChild(
                final String child) {
              return this;
            }

            @Override
            public void handlePOST(final CoapExchange exchange) {
              exchange.respond(
                  ResponseCode.CHANGED,
                  exchange.getRequestPayload(),
                  exchange.getRequestOptions().getContentFormat());
            }
          });
      server.addEndpoint(
          new CoapEndpoint.Builder()
              .setInetSocketAddress(loopback(plainPort))
              .setConfiguration(c)
              .build());
      final DtlsConnectorConfig dtls =
          DtlsConnectorConfig.builder(c)
              .setAddress(loopback(dtlsPort))
              .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY)
              .setAdvancedPskStore(
                  new AdvancedSinglePskStore(identity, key.getBytes(StandardCharsets.US_ASCII)))
              .build();
      server.addEndpoint(
          new CoapEndpoint.Builder()
              .setConnector(new DTLSConnector(dtls))
              .setConfiguration(c)
              .build());
      server.start();
    }

    @Override
    public void close() {
      server.destroy();
    }
  }

  /**
   * A device that serves over CoAP only: a Californium echo on {@code /api} that registers with the
   * gateway's resource directory ({@code /rd}, RFC 9176) over DTLS as {@code identity}, for {@code
   * service} in its own community, and reports itself available on its status resource.
   */
  static final class Device implements AutoCloseable {
    private final EchoServer server;
    private final Caller gateway;
    private final String identity;
    private final String community;
    private final ScheduledExecutorService reports =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              final Thread t = new Thread(r, "bench-coap-device-status");
              t.setDaemon(true);
              return t;
            });

    Device(final int dtlsPort, final String identity, final String key, final String community)
        throws java.io.IOException {
      this.identity = identity;
      this.community = community;
      this.server = new EchoServer(freePort(), freePort(), identity, key, "api");
      this.gateway = Caller.dtls("coaps://127.0.0.1:" + dtlsPort, identity, key);
    }

    /** Where the device serves, unencrypted: {@code coap://127.0.0.1:port/api}. */
    String plainUri() {
      return "coap://127.0.0.1:" + server.plainPort + "/api";
    }

    /**
     * Registers for {@code service} and reports AVAILABLE.
     *
     * @return false when the gateway has no resource directory (a build without CoAP devices)
     * @throws IllegalStateException when the gateway refuses the registration or the status
     */
    boolean register(final String service) throws Exception {
      final Request register = Request.newPost();
      register.setURI(
          "coaps://127.0.0.1:"
              + gateway.port()
              + "/rd?ep="
              + identity
              + "&d="
              + community
              + "&lt=3600&base=coap://127.0.0.1:"
              + server.plainPort);
      register.setPayload("</api>;svc=\"" + service + "\"");
      register.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_LINK_FORMAT);
      final CoapResponse registered = gateway.client.advanced(register);
      if (registered == null || registered.getCode() == ResponseCode.NOT_FOUND) {
        return false;
      }
      expect(registered, ResponseCode.CREATED);
      reportAvailable();
      // like an agent, every 5 s, so that the gateway never counts it offline during a run
      reports.scheduleWithFixedDelay(
          () -> {
            try {
              reportAvailable();
            } catch (final Exception e) {
              System.err.println("the CoAP device could not report its status: " + e);
            }
          },
          5,
          5,
          TimeUnit.SECONDS);
      return true;
    }

    private void reportAvailable() throws Exception {
      final Request status = Request.newPut();
      status.setURI(
          "coaps://127.0.0.1:" + gateway.port() + "/c/" + community + "/status/" + identity);
      status.setPayload(
          io.troupe.proto.v1.StatusMessage.newBuilder()
              .setDeviceId(identity)
              .setAvailability(io.troupe.proto.v1.Availability.AVAILABLE)
              .build()
              .toByteArray());
      status.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_OCTET_STREAM);
      expect(gateway.client.advanced(status), ResponseCode.CHANGED);
    }

    private static void expect(final CoapResponse r, final ResponseCode code) {
      if (r == null || r.getCode() != code) {
        throw new IllegalStateException(
            "the gateway answered "
                + (r == null ? "nothing" : r.getCode() + " " + r.getResponseText()));
      }
    }

    @Override
    public void close() {
      reports.shutdownNow();
      gateway.close();
      server.close();
    }
  }

  static int freePort() throws java.io.IOException {
    return io.troupe.launcher.LoopbackPorts.freeUdp();
  }

  static InetSocketAddress loopback(final int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }
}
