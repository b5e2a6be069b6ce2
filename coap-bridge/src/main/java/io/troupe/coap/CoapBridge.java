package io.troupe.coap;

import io.troupe.contract.CoapKeys;
import io.troupe.router.AccessControl;
import io.troupe.router.Decision;
import io.troupe.router.Directive;
import io.troupe.router.GatewayRouter;
import io.troupe.router.Logins;
import io.troupe.router.RouterMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.core.network.serialization.UdpDataSerializer;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.elements.util.ExecutorsUtil;
import org.eclipse.californium.elements.util.NamedThreadFactory;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CoAP bridge: Californium endpoints (DTLS 1.2 with pre-shared keys, and plain CoAP where
 * configured) whose requests to {@code /s/{address}/…} go to the same router as MQTT requests.
 * Holds no routing logic: forwards go back to the caller's {@code forwarder} (which publishes them
 * over MQTT and arms their timers), and answers for bridged client ids come back through {@link
 * #offer}.
 *
 * <p>{@code /c/{community}/svc/{service}/servers} is the service's distribution list and {@code
 * /c/{community}/status/{device}} a device's status, observable by the community's members.
 *
 * <p>Devices that serve over CoAP register at {@code /rd} (RFC 9176, {@link DirectoryResource}),
 * report their status to {@code /c/{community}/status/{device}}, and get the forwards routed to
 * them through {@link #forward} as CoAP requests ({@link DeviceForwarder}).
 *
 * <p>Block-wise transfers (RFC 7959) go both ways up to the router's {@code max-payload-bytes}; a
 * larger request body is refused with 4.13. Uploads are received by the bridge ({@link
 * UploadLayer}), not by Californium's block-wise layer, within the configured {@link UploadLimits}.
 */
public final class CoapBridge {

  private static final Logger log = LoggerFactory.getLogger(CoapBridge.class);
  private static final int BLOCK_SIZE = 1024;

  /** How often lapsed registrations are looked for: a lifetime ends at most this much late. */
  private static final long LIFETIME_CHECK_MS = 250;

  /** The latest messages of each peer that a duplicate is recognised among. */
  private static final int DEDUPLICATED_PER_PEER = 64;

  /** How often idle uploads are looked for: one is dropped at most this much late. */
  private static final long UPLOAD_CHECK_MS = 1_000;

  static {
    CoapConfig.register();
    UdpConfig.register();
    DtlsConfig.register();
  }

  private final CoapBridgeConfig config;
  private final CoapKeys keys;
  private final GatewayRouter router;
  private final Logins logins;
  private final Consumer<Decision> forwarder;
  private final PendingExchanges pending = new PendingExchanges();
  private final PeerIdentities peers;
  private final RetainedTopics lists;
  private final Registrations registrations;
  private final Consumer<List<Directive>> directives;
  private final Observers observers;
  private volatile RouterMetrics metrics = RouterMetrics.NONE;
  private volatile CoapServer server;
  private volatile DeviceForwarder devices;
  private volatile ScheduledExecutorService lifetimes;
  private volatile UploadMetrics uploadMetrics = UploadMetrics.NONE;
  private volatile Runnable handshakeRefused = () -> {};

  /**
   * @param keys derives the identities' PSKs
   * @param router where requests go
   * @param logins who the identities are and what role they have
   * @param forwarder carries out a router decision that is not an answer (a forward to a device)
   * @param retained reads a retained distribution list the bridge has not seen published
   * @param directives publishes what registrations and statuses of CoAP devices set off
   */
  public CoapBridge(
      final CoapBridgeConfig config,
      final CoapKeys keys,
      final GatewayRouter router,
      final Logins logins,
      final Consumer<Decision> forwarder,
      final ServerListSource retained,
      final Consumer<List<Directive>> directives) {
    this.config = Objects.requireNonNull(config, "config");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.router = Objects.requireNonNull(router, "router");
    this.logins = Objects.requireNonNull(logins, "logins");
    this.peers = new PeerIdentities(logins);
    this.forwarder = Objects.requireNonNull(forwarder, "forwarder");
    this.lists = new RetainedTopics(router.config().topics(), retained);
    lists.reportEncodingsTo(() -> metrics.coapRepresentationEncoded());
    this.observers =
        new Observers(config.observe(), limit -> metrics.coapObserveRefused(limit.name()));
    this.directives = Objects.requireNonNull(directives, "directives");
    this.registrations = new Registrations(router, forwarder, directives, System::nanoTime);
    final AccessControl access = new AccessControl(router.config().topics(), router.members());
    lists.resourcesFrom(
        (community, name, topic, kind) ->
            new RetainedResource(
                name,
                topic,
                kind,
                access,
                peers,
                lists,
                observers,
                kind == RetainedResource.Kind.STATUS
                    ? new StatusReportResource(
                        community, name, router, registrations, peers, directives, forwarder)
                    : null));
  }

  /** Where refused upload blocks are counted from the next {@link #start} on. */
  public void uploadMetrics(final UploadMetrics metrics) {
    this.uploadMetrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * Where DTLS handshakes refused for a wrong key or an unknown identity (not told apart) are
   * counted from the next {@link #start} on; {@code refused} must be quick and must not throw.
   */
  public void handshakeMetrics(final Runnable refused) {
    this.handshakeRefused = Objects.requireNonNull(refused, "refused");
  }

  /**
   * Binds the configured endpoints and starts serving; does nothing when the bridge is disabled.
   *
   * @throws CoapBindException when an endpoint's port is taken or its address cannot be bound
   * @throws IOException when the bridge cannot start otherwise (nothing is left running then)
   */
  public synchronized void start() throws IOException {
    if (!config.enabled() || server != null) {
      return;
    }
    final Configuration coap =
        configuration(router.config().maxPayloadBytes(), config.observe().total());
    final CoapServer created = new CoapServer(coap);
    // Californium's own executors, made here so that the bridge's timers can share the secondary
    final ScheduledExecutorService main =
        ExecutorsUtil.newScheduledThreadPool(
            coap.get(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT),
            new NamedThreadFactory("CoapBridge#"));
    final ScheduledExecutorService secondary =
        ExecutorsUtil.newDefaultSecondaryScheduler("CoapBridge(timers)#");
    created.setExecutors(main, secondary, false); // destroy() shuts them down
    created.add(new ServiceResource(router, peers, pending, forwarder, secondary));
    created.add(new CommunityPath(lists));
    created.add(new DirectoryResource(registrations, peers, this::isOwn));
    created.add(new InvitationResource(router, peers, directives));
    final Uploads uploads =
        new Uploads(
            config.uploads(), router.config().maxPayloadBytes(), System::nanoTime, uploadMetrics);
    secondary.scheduleWithFixedDelay(
        uploads::expire, UPLOAD_CHECK_MS, UPLOAD_CHECK_MS, TimeUnit.MILLISECONDS);
    final UploadStackFactory stacks = new UploadStackFactory(uploads);
    final List<InetSocketAddress> bound = new ArrayList<>();
    Endpoint dtlsEndpoint = null;
    if (config.dtls().isPresent()) {
      final DtlsConnectorConfig.Builder dtls =
          DtlsConnectorConfig.builder(coap)
              .setAddress(config.dtls().get())
              .setAdvancedPskStore(new DerivedPskStore(keys, logins::keyGeneration));
      dtlsEndpoint =
          new CoapEndpoint.Builder()
              .setConnector(AlertingDtlsConnector.create(dtls, coap, handshakeRefused))
              .setConfiguration(coap)
              .setCoapStackFactory(stacks)
              .setDataSerializerAndParser(new UdpDataSerializer(), new CheckedUdpDataParser())
              .build();
      created.addEndpoint(dtlsEndpoint);
    }
    if (config.plain().isPresent()) {
      final Endpoint plain =
          new CoapEndpoint.Builder()
              .setInetSocketAddress(config.plain().get().address())
              .setConfiguration(coap)
              .setCoapStackFactory(stacks)
              .setCustomCoapStackArgument(config.plain().get().actAs())
              .setDataSerializerAndParser(new UdpDataSerializer(), new CheckedUdpDataParser())
              .build();
      peers.plainEndpoint(plain, config.plain().get().actAs());
      created.addEndpoint(plain);
    }
    try {
      bindEach(created.getEndpoints(), dtlsEndpoint);
      created.start();
      for (final Endpoint e : created.getEndpoints()) {
        if (!e.isStarted()) {
          throw new IOException("could not bind CoAP endpoint " + e.getAddress());
        }
        bound.add(e.getAddress());
      }
      startDevices(coap, main, secondary);
    } catch (final IOException | RuntimeException e) {
      created.destroy();
      stopDevices();
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
    server = created;
    log.info("CoAP bridge started [endpoints: {}]", bound);
  }

  /**
   * Starts each endpoint before the server does, so that a port in use is one typed failure naming
   * the endpoint (the server would log each failure with its trace and go on with the others).
   */
  private static void bindEach(final List<Endpoint> endpoints, final Endpoint dtls)
      throws CoapBindException {
    for (final Endpoint e : endpoints) {
      try {
        e.start();
      } catch (final IOException cause) {
        throw new CoapBindException(e.getAddress(), e == dtls, cause);
      }
    }
  }

  /** Stops and releases the endpoints. */
  public synchronized void stop() {
    final CoapServer running = server;
    server = null;
    stopDevices();
    if (running != null) {
      running.destroy();
      log.info("CoAP bridge stopped");
    }
  }

  /**
   * Responds to the CoAP request {@code answer} is for.
   *
   * @return whether {@code answer} is for a bridged client (then the bridge has taken it, even if
   *     the request is no longer waited for); false means it is an MQTT consumer's
   */
  public boolean offer(final Decision.Answer answer) {
    return pending.offer(answer);
  }

  /**
   * Sends {@code forward} to its device when that device is registered over CoAP.
   *
   * @return whether the bridge has taken it (then it is not published over MQTT; its timer is still
   *     the caller's to arm)
   */
  public boolean forward(final Decision.Forward forward) {
    final DeviceForwarder running = devices;
    return running != null && running.offer(forward);
  }

  private void startDevices(
      final Configuration coap,
      final ScheduledExecutorService main,
      final ScheduledExecutorService timers)
      throws IOException {
    final DeviceForwarder forwarder =
        new DeviceForwarder(
            router, registrations, this.forwarder, coap, devicesAddress(), main, timers);
    forwarder.start();
    devices = forwarder;
    final ScheduledExecutorService sweep =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              final Thread t = new Thread(r, "troupe-coap-lifetimes");
              t.setDaemon(true);
              return t;
            });
    sweep.scheduleWithFixedDelay(
        registrations::expire, LIFETIME_CHECK_MS, LIFETIME_CHECK_MS, TimeUnit.MILLISECONDS);
    lifetimes = sweep;
  }

  private void stopDevices() {
    final ScheduledExecutorService sweep = lifetimes;
    lifetimes = null;
    if (sweep != null) {
      sweep.shutdownNow();
    }
    final DeviceForwarder forwarder = devices;
    devices = null;
    if (forwarder != null) {
      forwarder.stop();
    }
    registrations.clear();
  }

  /**
   * Takes note of a directive the gateway carried out: a distribution list published (or cleared)
   * notifies its CoAP observers; a session ended (its identity removed) ends the CoAP registration
   * of that device too; a ping to a device registered over CoAP, which never sees its MQTT control
   * topic, goes to it as a CoAP ping, whose reset answers it. Never throws.
   */
  public void onDirective(final Directive directive) {
    try {
      lists.onDirective(directive);
      if (directive instanceof Directive.Disconnect d && registrations.remove(d.clientId())) {
        log.info("ended a CoAP registration [device: {}, reason: {}]", d.clientId(), d.reason());
      }
      final DeviceForwarder running = devices;
      if (directive instanceof Directive.SendControl c
          && c.control().hasPing()
          && running != null) {
        running.ping(c.device(), c.control().getPing().getId());
      }
    } catch (final RuntimeException e) {
      log.warn("could not notify CoAP observers [{}]", directive, e);
    }
  }

  /**
   * Takes note of a message a client retained (a device's status the gateway let through): its CoAP
   * observers are notified. Never throws.
   */
  public void onRetained(final String topic, final byte[] payload) {
    try {
      lists.onRetained(topic, payload);
    } catch (final RuntimeException e) {
      log.warn("could not notify CoAP observers [topic: {}]", topic, e);
    }
  }

  /**
   * Where requests to devices leave from: the interface the bridge listens on (DTLS's, else plain
   * CoAP's), so that a gateway told to listen on loopback opens nothing on other interfaces.
   */
  private InetAddress devicesAddress() {
    return config
        .dtls()
        .or(() -> config.plain().map(CoapBridgeConfig.Plain::address))
        .map(InetSocketAddress::getAddress)
        .orElseGet(() -> new InetSocketAddress(0).getAddress());
  }

  /** Whether {@code address} reaches one of the bridge's endpoints, or the devices' one. */
  private boolean isOwn(final InetSocketAddress address) {
    final List<InetSocketAddress> own = addresses();
    final DeviceForwarder forwarder = devices;
    if (forwarder != null) {
      forwarder.address().ifPresent(own::add);
    }
    return own.stream()
        .anyMatch(
            a ->
                a.getPort() == address.getPort()
                    && (a.getAddress().isAnyLocalAddress()
                        || a.getAddress().equals(address.getAddress())));
  }

  /** The addresses the endpoints are bound to (empty when stopped). */
  public List<InetSocketAddress> addresses() {
    final CoapServer running = server;
    final List<InetSocketAddress> result = new ArrayList<>();
    if (running != null) {
      for (final Endpoint e : running.getEndpoints()) {
        result.add(e.getAddress());
      }
    }
    return result;
  }

  /** Counts the bridge's refusals and the work it does for observers in {@code metrics}. */
  public void reportTo(final RouterMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  static Configuration configuration(final int maxPayloadBytes, final int observations) {
    final Configuration c = Configuration.createStandardWithoutFile();
    // above the bridge's own bound, which answers with a reason: Californium's would observe
    // silently (a GET answered without Observe), and it counts requests not yet answered too
    c.set(CoapConfig.MAX_SERVER_OBSERVES, 2 * observations);
    c.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, maxPayloadBytes);
    c.set(CoapConfig.MAX_MESSAGE_SIZE, BLOCK_SIZE);
    c.set(CoapConfig.PREFERRED_BLOCK_SIZE, BLOCK_SIZE);
    c.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY);
    // Duplicates are recognised among each peer's latest messages: the default keeps every
    // message of every peer for the exchange lifetime (247 s), a heap a fast sender can fill.
    c.set(CoapConfig.DEDUPLICATOR, CoapConfig.DEDUPLICATOR_PEERS_MARK_AND_SWEEP);
    c.set(CoapConfig.PEERS_MARK_AND_SWEEP_MESSAGES, DEDUPLICATED_PER_PEER);
    return c;
  }
}
