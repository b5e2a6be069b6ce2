package io.troupe.extension;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.ManagedExtensionExecutorService;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.publish.RetainedPublish;
import io.troupe.coap.CoapBindException;
import io.troupe.coap.CoapBridge;
import io.troupe.coap.CoapBridgeConfig;
import io.troupe.contract.CoapKeys;
import io.troupe.contract.Invitations;
import io.troupe.extension.auth.ClientIdInterceptor;
import io.troupe.extension.auth.Principals;
import io.troupe.extension.auth.TroupeAuthenticator;
import io.troupe.extension.auth.TroupeAuthorizer;
import io.troupe.extension.auth.WillDelayInterceptor;
import io.troupe.extension.config.ConfigReader;
import io.troupe.extension.config.DirectoryConfig;
import io.troupe.extension.config.LaunchFiles;
import io.troupe.extension.config.MqttBind;
import io.troupe.extension.config.TroupeConfig;
import io.troupe.extension.directory.GroupPoller;
import io.troupe.extension.directory.LdapGroupDirectory;
import io.troupe.extension.events.PresenceListener;
import io.troupe.extension.intercept.Housekeeping;
import io.troupe.extension.intercept.Outbox;
import io.troupe.extension.intercept.TroupePublishInterceptor;
import io.troupe.extension.metrics.GatewayMetrics;
import io.troupe.extension.store.AdminSecret;
import io.troupe.extension.store.StateStores;
import io.troupe.extension.store.UsageSaver;
import io.troupe.router.AccessControl;
import io.troupe.router.GatewayRouter;
import io.troupe.router.KeyLogins;
import io.troupe.router.LoginConfig;
import io.troupe.router.Logins;
import io.troupe.router.Principal;
import io.troupe.router.StateStore;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jetbrains.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Troupe gateway as a HiveMQ extension. Reads {@code conf/config.xml}, loads the state from the
 * data folder, creates the first admin identity if there is none, and registers the authenticator,
 * authorizers, interceptors and lifecycle listener. Any failure prevents the extension's start with
 * the reason, so that a launcher can refuse to serve an open broker.
 */
public final class TroupeExtensionMain implements ExtensionMain {

  private static final Logger log = LoggerFactory.getLogger(TroupeExtensionMain.class);
  static final String ADMIN = "admin";

  private volatile @Nullable StateStore store;
  private volatile @Nullable CoapBridge coap;
  private volatile @Nullable UsageSaver usage;

  @Override
  public void extensionStart(final ExtensionStartInput input, final ExtensionStartOutput output) {
    final File home = input.getExtensionInformation().getExtensionHomeFolder();
    try {
      final TroupeConfig config =
          LaunchFiles.withOverrides(ConfigReader.read(home.toPath()), home.toPath());
      final StateStore opened =
          StateStores.open(config, TroupeExtensionMain.class.getClassLoader());
      store = opened;
      // read before the router, which issues the identities' keys over the API; the keys serve
      // MQTT enhanced authentication whether or not the CoAP bridge runs
      final CoapKeys identityKeys = CoapKeys.openOrCreate(home.toPath());
      final Optional<CoapKeys> coapKeys =
          config.coap().enabled() ? Optional.of(identityKeys) : Optional.empty();
      // the signing secret of keys and invitations (R14), beside the CoAP master key
      final Invitations invitations = Invitations.openOrCreate(home.toPath());
      final GatewayRouter router =
          new GatewayRouter(
              config.router(),
              config.logins(),
              Clock.systemUTC(),
              opened,
              Optional.of(identityKeys),
              Optional.of(invitations));
      router.configureSync(config.sync());
      bootstrapAdmin(router, config.dataFolder());
      if (config.logins().hashIterations() < LoginConfig.GUIDANCE_ITERATIONS) {
        log.warn(
            "password hashes use {} iterations, below the {} of current guidance: for tests only",
            config.logins().hashIterations(),
            LoginConfig.GUIDANCE_ITERATIONS);
      }
      final GatewayMetrics metrics =
          GatewayMetrics.register(Services.metricRegistry(), router::pendingCount);
      router.reportTo(metrics, com.google.common.base.Ticker.systemTicker());
      final Wiring wiring = wire(router, config.logins(), identityKeys);
      wiring.logins().reportTo(metrics);
      // The bridge binds before any MQTT hook is registered: a bridge that cannot start leaves
      // no half-started gateway behind.
      final CoapBridgeConfig coapConfig = coapConfig(config.coap(), input);
      if (coapKeys.isPresent()) {
        startCoap(coapConfig, coapKeys.get(), router, wiring, metrics);
      } else {
        log.info("CoAP bridge disabled");
      }
      register(router, wiring);
      config.directory().ifPresent(d -> followDirectory(d, router, wiring.outbox(), metrics));
      final UsageSaver saver = new UsageSaver(router, opened);
      usage = saver;
      Services.extensionExecutorService()
          .scheduleAtFixedRate(saver::save, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
      reportStarted(home.toPath(), coapConfig);
      log.info(
          "Troupe gateway started [topic root: {}, data: {}]",
          config.router().topics().root(),
          config.dataFolder());
    } catch (final ConfigReader.InvalidConfigException e) {
      fail(output, home.toPath(), "invalid Troupe configuration: " + e.getMessage(), null);
    } catch (final CoapBindException e) {
      // a port in use is the operator's to choose, not a defect: one line, no trace
      final String setting = e.dtls() ? "<coap><dtls><port>" : "<coap><plain><port>";
      final String reason =
          e.getMessage()
              + "; choose another port in "
              + setting
              + " of "
              + home.toPath().resolve("conf").resolve("config.xml");
      log.error("Troupe gateway could not start: {}", reason);
      stopCoap();
      closeStore();
      fail(
          output, home.toPath(), reason, e.dtls() ? LaunchFiles.DTLS_PORT : LaunchFiles.PLAIN_PORT);
    } catch (final Exception e) {
      log.error("Troupe gateway could not start", e);
      stopCoap();
      closeStore();
      fail(output, home.toPath(), "Troupe gateway could not start: " + e, null);
    }
  }

  /** Prevents the start with {@code reason}, and tells a launcher why (see {@link LaunchFiles}). */
  private static void fail(
      final ExtensionStartOutput output,
      final Path home,
      final String reason,
      final @Nullable String portSetting) {
    output.preventExtensionStartup(reason);
    try {
      LaunchFiles.reportFailure(home, reason, Optional.ofNullable(portSetting));
    } catch (final IOException e) {
      log.warn("could not write {} [reason: {}]", LaunchFiles.started(home), e.toString());
    }
  }

  /**
   * Communities may be formed from the directory's groups (R16): refreshed at its interval from now
   * on, the first time at once. The directory is not asked here: the gateway starts while it is
   * down, and the poller reports and retries.
   */
  private static void followDirectory(
      final DirectoryConfig directory,
      final GatewayRouter router,
      final Outbox outbox,
      final GatewayMetrics metrics) {
    router.useDirectory(directory.maxGroupMembers());
    final GroupPoller poller =
        new GroupPoller(
            router,
            new LdapGroupDirectory(directory),
            directory.ldapUrl(),
            directory.maxGroupMembers(),
            outbox::directives,
            metrics);
    Services.extensionExecutorService()
        .scheduleWithFixedDelay(
            poller, 0, directory.refresh().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    log.info(
        "communities may follow directory groups [directory: {}, refresh: {} s]",
        directory.ldapUrl(),
        directory.refresh().toSeconds());
  }

  /** Tells a launcher where the CoAP endpoints are bound; the bridge binds DTLS first. */
  private void reportStarted(final Path home, final CoapBridgeConfig config) {
    final CoapBridge bridge = coap;
    final List<InetSocketAddress> bound = bridge == null ? List.of() : bridge.addresses();
    final int dtls = config.dtls().isPresent() ? 1 : 0;
    try {
      LaunchFiles.reportStarted(
          home, bound.stream().limit(dtls).findFirst(), bound.stream().skip(dtls).findFirst());
    } catch (final IOException e) {
      // the gateway serves; only a launcher's printout of the ports is missing
      log.warn("could not write {} [reason: {}]", LaunchFiles.started(home), e.toString());
    }
  }

  @Override
  public void extensionStop(final ExtensionStopInput input, final ExtensionStopOutput output) {
    GatewayMetrics.unregister(Services.metricRegistry());
    stopCoap();
    final UsageSaver saver = usage;
    if (saver != null) {
      saver.save(); // the last second's usage, before the store closes
    }
    closeStore();
    log.info("Troupe gateway stopped");
  }

  /** The CoAP bridge shares the MQTT side's router, logins and outbox; its answers bypass MQTT. */
  private void startCoap(
      final CoapBridgeConfig config,
      final CoapKeys keys,
      final GatewayRouter router,
      final Wiring w,
      final GatewayMetrics metrics)
      throws IOException {
    final CoapBridge bridge =
        new CoapBridge(
            config,
            keys,
            router,
            w.logins(),
            w.outbox()::apply,
            TroupeExtensionMain::retained,
            w.outbox()::directives);
    bridge.reportTo(metrics);
    w.outbox().answerVia(bridge::offer);
    w.outbox().forwardVia(bridge::forward);
    w.outbox().directivesTo(bridge::onDirective);
    w.outbox().retainedTo(bridge::onRetained);
    bridge.uploadMetrics(metrics::uploadRefused);
    bridge.handshakeMetrics(metrics::coapHandshakeRefused);
    bridge.start();
    coap = bridge;
  }

  /** DTLS follows the MQTT listener's address unless {@code <bind>} names one. */
  private static CoapBridgeConfig coapConfig(
      final CoapBridgeConfig configured, final ExtensionStartInput input) {
    return MqttBind.of(input.getServerInformation().getListener())
        .map(configured::bindingDtlsTo)
        .orElse(configured);
  }

  private void stopCoap() {
    final CoapBridge running = coap;
    coap = null;
    if (running != null) {
      running.stop();
    }
  }

  private static CompletableFuture<Optional<byte[]>> retained(final String topic) {
    return Services.retainedMessageStore()
        .getRetainedMessage(topic)
        .thenApply(
            r ->
                r.flatMap(RetainedPublish::getPayload)
                    .map(
                        b -> {
                          final byte[] bytes = new byte[b.remaining()];
                          b.duplicate().get(bytes);
                          return bytes;
                        }));
  }

  private record Wiring(Logins logins, KeyLogins keyLogins, Outbox outbox) {}

  private void closeStore() {
    final StateStore opened = store;
    store = null;
    if (opened != null) {
      opened.close();
    }
  }

  private static void bootstrapAdmin(final GatewayRouter router, final Path data)
      throws java.io.IOException {
    if (router.hasAdmin()) {
      return;
    }
    final String password = GatewayRouter.newPassword();
    final Path file = AdminSecret.write(data, password);
    router.addAdmin(ADMIN, password);
    log.info("created the admin identity '{}'; its password is in {}", ADMIN, file);
  }

  /** The logins and the outbox both protocols share; registers nothing with the broker yet. */
  private static Wiring wire(
      final GatewayRouter router, final LoginConfig loginConfig, final CoapKeys identityKeys) {
    final ManagedExtensionExecutorService executor = Services.extensionExecutorService();
    final Logins logins = new Logins(router, loginConfig, Clock.systemUTC(), executor);
    return new Wiring(
        logins,
        new KeyLogins(logins, identityKeys),
        new Outbox(
            router,
            Services.publishService(),
            executor,
            new Housekeeping(Services.retainedMessageStore(), Services.clientService())));
  }

  /** Hooks the gateway into the broker: authentication, authorisation, publishes, presence. */
  private static void register(final GatewayRouter router, final Wiring wiring) {
    final ManagedExtensionExecutorService executor = Services.extensionExecutorService();
    final Logins logins = wiring.logins();
    final Outbox outbox = wiring.outbox();
    final AccessControl access = new AccessControl(router.config().topics(), router.members());
    final TroupeAuthenticator authenticator =
        new TroupeAuthenticator(logins, wiring.keyLogins(), executor);
    final ClientIdInterceptor clientIds = new ClientIdInterceptor(logins);
    final WillDelayInterceptor wills = new WillDelayInterceptor();
    Services.interceptorRegistry()
        .setConnectInboundInterceptorProvider(
            in ->
                (input, output) -> {
                  clientIds.onConnect(input, output);
                  wills.onConnect(input, output);
                });
    final TroupeAuthorizer authorizer =
        new TroupeAuthorizer(router.config().topics(), access, router);
    Services.securityRegistry().setEnhancedAuthenticatorProvider(in -> authenticator);
    Services.securityRegistry().setAuthorizerProvider(in -> authorizer);
    Services.initializerRegistry()
        .setClientInitializer(
            (in, client) -> {
              final Optional<Principal> who =
                  Principals.of(
                      in.getConnectionInformation().getConnectionAttributeStore(),
                      in.getClientInformation().getClientId());
              who.ifPresent(
                  p ->
                      client.addPublishInboundInterceptor(
                          new TroupePublishInterceptor(
                              p, router.config().topics(), router, access, outbox, executor)));
              if (who.isEmpty()) {
                client.addPublishInboundInterceptor(
                    (i, o) ->
                        o.preventPublishDelivery(
                            com.hivemq.extension.sdk.api.packets.publish.AckReasonCode
                                .NOT_AUTHORIZED,
                            "403 not authenticated"));
              }
            });
    final PresenceListener presence = new PresenceListener(router, outbox);
    Services.eventRegistry().setClientLifecycleEventListener(in -> presence);
    executor.scheduleAtFixedRate(outbox::tick, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
  }
}
