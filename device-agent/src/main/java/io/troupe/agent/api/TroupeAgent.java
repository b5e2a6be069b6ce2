package io.troupe.agent.api;

import com.google.protobuf.InvalidProtocolBufferException;
import io.troupe.agent.internal.Calls;
import io.troupe.agent.internal.GatewayApiClient;
import io.troupe.agent.internal.Incoming;
import io.troupe.agent.internal.MqttSession;
import io.troupe.agent.internal.RequestServer;
import io.troupe.contract.Names;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.StatusMessage;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device that serves services of one or more communities through the Troupe gateway, over one
 * MQTT session. {@link #start()} connects (setting no Will: the gateway marks a device that goes
 * away OFFLINE itself), joins each community, registers every service there and publishes its
 * descriptor and the device's status; the status is then published every status interval and at
 * once on every change. Forwarded requests are answered by each service's {@link ServiceHandler} on
 * the handler executor. After a lost connection the agent reconnects within about a second (100-250
 * ms at first, jittered, doubling to 1 s), then at once subscribes, joins, registers and reports
 * its status again (harmless for the gateway).
 *
 * <pre>{@code
 * try (TroupeAgent agent = TroupeAgent.builder().deviceId("dev1").password(pw).community("demo")
 *     .service("echo", ServiceHandler.echo()).build()) {
 *   List<Registration> registrations = agent.startBlocking(); // echo.demo as PRIMARY
 *   ...
 * } // close(): status OFFLINE, clean DISCONNECT; the registrations stay
 * }</pre>
 *
 * <p>Thread-safe. Failures are {@link TroupeException}s carrying an HTTP-style status.
 */
public final class TroupeAgent implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TroupeAgent.class);

  private final TroupeAgentBuilder settings;
  private final Topics topics;
  private final MqttSession session;
  private final GatewayApiClient api;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService ownHandlers;
  private final Communities communities;
  private final RequestServer server;
  private final StatusReporter status;
  private final LocalServing local;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean serving;
  private final CompletableFuture<String> takenOver = new CompletableFuture<>();

  TroupeAgent(final TroupeAgentBuilder settings) {
    this.settings = settings;
    this.topics = Topics.withRoot(settings.topicRoot);
    this.session = new MqttSession(settings.session(settings.deviceId, settings.deviceId));
    this.api = new GatewayApiClient(session, topics, settings.apiTimeout);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(daemon("troupe-status-" + settings.deviceId));
    final String handlerName = "troupe-handler-" + settings.deviceId;
    this.ownHandlers =
        settings.handlerExecutor != null
            ? null
            : settings.handlerThreads > 0
                ? Executors.newFixedThreadPool(settings.handlerThreads, daemon(handlerName))
                : Executors.newCachedThreadPool(daemon(handlerName));
    final Executor handlers = ownHandlers != null ? ownHandlers : settings.handlerExecutor;
    this.communities =
        new Communities(settings, topics, session, api, scheduler, this::publishStatus);
    this.server =
        new RequestServer(
            session,
            topics.gatewayReply(settings.deviceId),
            settings.deviceId,
            communities::handlerOf,
            handlers,
            settings.maxRequestsInProgress,
            this::publishStatus);
    this.local = new LocalServing(settings.deviceId, communities::handlerOf);
    this.status =
        new StatusReporter(
            settings,
            topics,
            session,
            communities.all(),
            server::inProgress,
            () -> started.get() && !communities.hasLeftAll());
  }

  /** A builder; device id, password, community and one service at least are required. */
  public static @NotNull TroupeAgentBuilder builder() {
    return new TroupeAgentBuilder();
  }

  /**
   * Connects, warms the serving path (a synthetic request answered end to end, so that the first
   * real one is not slowed by cold code), joins and registers every service, publishes each
   * descriptor and the status, then starts the periodic status. Completes with the registrations in
   * the order the services were added (the first registrant of a service is its primary). Fails
   * with a {@link TroupeException}: 403 when the broker refuses the credentials or the gateway the
   * membership, 503 when the gateway cannot be reached, 504 when it does not answer within the API
   * timeout, or the gateway's own status (400, 404, 409…); the agent is then closed. Fails with
   * {@link IllegalStateException} when called twice.
   */
  public @NotNull CompletableFuture<List<Registration>> start() {
    if (closed.get() || !started.compareAndSet(false, true)) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("an agent starts once; build another"));
    }
    session.onMessage(this::dispatch);
    session.onReconnected(communities::rejoin);
    session.onTakenOver(this::takenOver);
    return session
        .connect()
        .thenCompose(
            ok -> settings.warmUp ? server.warmUp() : CompletableFuture.<Void>completedFuture(null))
        .thenCompose(ok -> communities.join())
        .handle(
            (list, error) -> {
              if (error == null) {
                return CompletableFuture.completedFuture(started(list));
              }
              // not on the MQTT client's thread: closing waits for the DISCONNECT
              return CompletableFuture.runAsync(this::close)
                  .<List<Registration>>thenApply(
                      ok -> {
                        throw error instanceof CompletionException c
                            ? c
                            : new CompletionException(error);
                      });
            })
        .thenCompose(f -> f);
  }

  private List<Registration> started(final List<Registration> list) {
    final long period = settings.statusInterval.toMillis();
    try {
      scheduler.scheduleAtFixedRate(this::publishStatus, period, period, TimeUnit.MILLISECONDS);
    } catch (final RejectedExecutionException e) {
      throw new IllegalStateException("the agent was closed while starting", e);
    }
    serving = true;
    list.forEach(
        r ->
            log.info("registered {} as {} [device: {}]", r.address(), r.role(), settings.deviceId));
    return list;
  }

  /**
   * Completes, with a one-line reason, when the agent stopped because another connection with this
   * device's id took its MQTT session over: another agent for the same device, here or elsewhere.
   * The agent then closes itself without publishing an OFFLINE status (the newcomer serves as the
   * device now) and does not reconnect, as reconnecting would take the session back and the two
   * would take it from each other again and again. Never completes otherwise.
   */
  public @NotNull CompletableFuture<String> sessionTakenOver() {
    return takenOver.copy();
  }

  private void takenOver() {
    final String reason =
        "another connection with device id "
            + settings.deviceId
            + " took this agent's session over at "
            + settings.host
            + ":"
            + settings.port
            + "; stopped";
    communities.stop();
    // not on Paho's thread: closing waits for the client to be released
    CompletableFuture.runAsync(this::close).whenComplete((ok, e) -> takenOver.complete(reason));
  }

  /**
   * {@link #start()}, waiting.
   *
   * @throws TroupeException what {@link #start()} fails with
   */
  public @NotNull List<Registration> startBlocking() {
    return GatewayApiClient.await(start());
  }

  /**
   * This device's registrations as the gateway last said (role changes too), by service name; a
   * service served in several communities by its address ({@code name.community}) instead.
   */
  public @NotNull Map<String, Registration> registrations() {
    return communities.registrations();
  }

  /**
   * The distribution rule of {@code service} as the gateway last told this device on its control
   * topic when the rule changed (R6); empty until a change since this agent started. The listener
   * given to {@link TroupeAgentBuilder#onControl} sees the same control.
   */
  public @NotNull Optional<DistributionRule> rule(final @NotNull String service) {
    return communities.find(service).flatMap(s -> s.membership().rule(s.service()));
  }

  /**
   * Reports a new version of this device's descriptor of {@code service} (R4), such as the changes
   * it made while it served itself as a passive server (R17). When it is newer than the gateway's,
   * the other servers are told to synchronise from this device. Fails for a service this device
   * does not serve.
   */
  public @NotNull CompletableFuture<Void> describe(
      final @NotNull String service, final @NotNull ServiceDescriptor descriptor) {
    Objects.requireNonNull(descriptor, "descriptor");
    return communities
        .find(service)
        .map(s -> s.membership().describe(s.service(), descriptor))
        .orElseGet(
            () ->
                CompletableFuture.failedFuture(
                    new IllegalArgumentException("this device does not serve '" + service + "'")));
  }

  /**
   * The newest descriptor of {@code service} the gateway told this device to synchronise to (a
   * {@code sync} control, R4), with its sources in the control itself; empty if none was told.
   */
  public @NotNull Optional<ServiceDescriptor> newestDescriptor(final @NotNull String service) {
    return communities.find(service).flatMap(s -> s.membership().newest(s.service()));
  }

  /** How many forwarded requests the handlers are working on. */
  public int requestsInProgress() {
    return server.inProgress();
  }

  /** The communities this agent joins, lower-cased, in the order given. */
  public @NotNull List<String> communities() {
    return List.copyOf(settings.communities);
  }

  /** The device id (also its identity and MQTT client id). */
  public @NotNull String deviceId() {
    return settings.deviceId;
  }

  /** The status this agent would publish now. */
  public @NotNull StatusMessage status() {
    return status.current();
  }

  /**
   * Says available or busy (a busy server gets no new requests); publishes the status at once.
   * Completes when the broker has it; a status that could not be published is logged, not failed,
   * and the next periodic one carries the change.
   */
  public @NotNull CompletableFuture<Void> setAvailability(final @NotNull Availability value) {
    status.availability(Objects.requireNonNull(value, "value"));
    return publishStatus();
  }

  /**
   * Replaces the device metrics the application reports (location, network type, link, battery,
   * load, components…) and publishes the status at once. The agent fills in requests in progress,
   * their limit and the device time itself, and free memory unless given here.
   */
  public @NotNull CompletableFuture<Void> setMetrics(final @NotNull Metrics value) {
    status.metrics(Objects.requireNonNull(value, "value"));
    return publishStatus();
  }

  /**
   * Enables or disables this device's share of {@code service}: a disabled share gets no requests
   * but stays registered. Tells the gateway (again after every reconnection) and publishes the
   * status. Fails with a {@link TroupeException} when the gateway refuses (404 if this device does
   * not serve it there); before {@link #start()} it only takes effect at registration.
   *
   * @throws IllegalArgumentException if this agent has no such service
   */
  public @NotNull CompletableFuture<Void> setServiceEnabled(
      final @NotNull String service, final boolean value) {
    final Communities.Served s = communities.resolve(service);
    return s.membership().setServiceEnabled(s.service(), value);
  }

  /**
   * Leaves every community of this agent: the gateway drops this device from every service there.
   * The agent stops reporting status and will not rejoin on reconnection; close it when done. Fails
   * with a {@link TroupeException} when the gateway refuses.
   */
  public @NotNull CompletableFuture<Void> leave() {
    return communities.leave();
  }

  /**
   * Stops serving {@code service}: the registration is removed at the gateway and is not renewed on
   * reconnection. (Closing the agent does not deregister: the device is then merely offline.) Fails
   * with a {@link TroupeException} when the gateway refuses.
   *
   * @throws IllegalArgumentException if this agent has no such service
   */
  public @NotNull CompletableFuture<Void> deregister(final @NotNull String service) {
    final Communities.Served s = communities.resolve(service);
    return s.membership().deregister(s.service());
  }

  /**
   * Calls {@code address} as this device (R17): where the gateway told it to serve that service
   * locally ({@code install_locally} on its {@code /ctl} topic, sent when this passive server
   * called its service and no active server could answer), its own handler answers, and keeps
   * answering after the primary returns; otherwise the call goes through the gateway as {@link
   * TroupeConsumer#call} does, and fails the same ways. A local answer names this device as its
   * server; a failing handler answers 500, a late one 504.
   *
   * @throws IllegalArgumentException if {@code address} is not a service address
   */
  public @NotNull CompletableFuture<CallResult> call(
      final @NotNull String address,
      final byte @NotNull [] body,
      final @NotNull CallOptions options) {
    if (!Names.isAddress(address)) {
      throw new IllegalArgumentException(
          "not a service address such as echo.demo: '" + address + "'");
    }
    return local
        .call(address, body, options)
        .orElseGet(() -> Calls.call(session, topics, settings.deviceId, address, body, options));
  }

  /**
   * {@link #call(String, byte[], CallOptions)}, waiting.
   *
   * @throws TroupeException what the call fails with
   */
  public @NotNull CallResult callBlocking(
      final @NotNull String address,
      final byte @NotNull [] body,
      final @NotNull CallOptions options) {
    return GatewayApiClient.await(call(address, body, options));
  }

  /** Whether the gateway told this device to serve {@code address} locally (R17). */
  public boolean servesLocally(final @NotNull String address) {
    return local.servesLocally(address);
  }

  private CompletableFuture<Void> publishStatus() {
    return status.publish();
  }

  private void dispatch(final String topic, final Incoming message) {
    if (topic.equals(topics.deviceRequests(settings.deviceId))) {
      server.serve(message);
    } else if (topic.equals(topics.deviceControl(settings.deviceId))) {
      final Control control;
      try {
        control = Control.parseFrom(message.payload());
      } catch (final InvalidProtocolBufferException e) {
        log.warn("dropped a malformed control message [device: {}]", settings.deviceId);
        return;
      }
      if (control.hasPing()) {
        server.ping(control.getPing().getId());
        return;
      }
      log.info(
          "control from the gateway [device: {}, service: {}, directive: {}]",
          settings.deviceId,
          control.getAddress(),
          control.getDirectiveCase());
      communities
          .of(control)
          .ifPresent(
              m -> {
                if (m.applyRole(control)) {
                  publishStatus();
                }
                m.applyRule(control);
                m.applySync(control);
              });
      local.apply(control);
      settings.controlListener.accept(control);
    }
  }

  /**
   * Stops serving: publishes a retained OFFLINE status (waiting up to 2 s for it), then disconnects
   * cleanly. The registrations stay at the gateway: the device is simply offline until an agent
   * with its id starts again. Requests still being handled are abandoned (the gateway fails them
   * over). Idempotent; never throws.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    communities.stop();
    scheduler.shutdownNow();
    status.availability(Availability.OFFLINE);
    if (session.isConnected() && !communities.hasLeftAll()) {
      try {
        publishStatus().get(2, TimeUnit.SECONDS);
      } catch (final Exception e) {
        log.debug("final status not confirmed [device: {}]", settings.deviceId, e);
      }
    }
    session.close();
    if (ownHandlers != null) {
      ownHandlers.shutdownNow();
    }
    if (serving) {
      log.info("stopped [device: {}]", settings.deviceId);
    }
  }

  private static ThreadFactory daemon(final String name) {
    final AtomicInteger n = new AtomicInteger();
    return r -> {
      final Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** A service this agent serves: in {@code community} only, or (empty) in every one. */
  record Service(
      String name,
      Optional<String> community,
      ServiceHandler handler,
      Optional<ServiceDescriptor> descriptor) {

    String key() {
      return name + "@" + community.orElse("*");
    }
  }
}
