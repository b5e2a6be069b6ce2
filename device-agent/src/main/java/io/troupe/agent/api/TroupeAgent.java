package io.troupe.agent.api;

import com.google.protobuf.InvalidProtocolBufferException;
import io.troupe.agent.internal.GatewayApiClient;
import io.troupe.agent.internal.GatewayRequests;
import io.troupe.agent.internal.Incoming;
import io.troupe.agent.internal.MqttSession;
import io.troupe.agent.internal.Outgoing;
import io.troupe.agent.internal.RequestServer;
import io.troupe.agent.internal.StatusReports;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.ServiceShare;
import io.troupe.proto.v1.StatusMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device that serves services of one community through the Troupe gateway. {@link #start()}
 * connects (with a Will that marks the device OFFLINE), joins the community, registers every
 * service and publishes its descriptor and the device's status; the status is then published every
 * status interval and at once on every change. Forwarded requests are answered by each service's
 * {@link ServiceHandler} on the handler executor. After a lost connection the agent reconnects,
 * subscribes, joins and registers again (harmless for the gateway).
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
  private final RequestServer server;
  private final Map<String, Registration> registrations = new ConcurrentHashMap<>();
  private final Map<String, Boolean> enabled = new ConcurrentHashMap<>();
  private final Set<String> deregistered = ConcurrentHashMap.newKeySet();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean left;
  private volatile boolean serving;
  private volatile Availability availability = Availability.AVAILABLE;
  private volatile Metrics metrics;

  TroupeAgent(final TroupeAgentBuilder settings) {
    this.settings = settings;
    this.topics = Topics.withRoot(settings.topicRoot);
    this.metrics = settings.metrics;
    this.session =
        new MqttSession(
            new MqttSession.Settings(
                settings.host,
                settings.port,
                settings.deviceId,
                Optional.of(settings.deviceId),
                Optional.of(settings.password.getBytes(StandardCharsets.UTF_8)),
                Optional.of(
                    new MqttSession.Will(
                        topics.status(settings.community, settings.deviceId),
                        StatusReports.offline(settings.deviceId).toByteArray())),
                true));
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
    this.server =
        new RequestServer(
            session,
            topics.gatewayReply(settings.deviceId),
            settings.deviceId,
            this::handlerOf,
            handlers,
            settings.maxRequestsInProgress,
            this::publishStatus);
  }

  /** A builder; device id, password, community and one service at least are required. */
  public static @NotNull TroupeAgentBuilder builder() {
    return new TroupeAgentBuilder();
  }

  /**
   * Connects, joins and registers every service, publishes each descriptor and the status, then
   * starts the periodic status. Completes with the registrations in the order the services were
   * added (the first registrant of a service is its primary). Fails with a {@link TroupeException}:
   * 403 when the broker refuses the credentials or the gateway the membership, 503 when the gateway
   * cannot be reached, 504 when it does not answer within the API timeout, or the gateway's own
   * status (400, 404, 409…); the agent is then closed. Fails with {@link IllegalStateException}
   * when called twice.
   */
  public @NotNull CompletableFuture<List<Registration>> start() {
    if (closed.get() || !started.compareAndSet(false, true)) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("an agent starts once; build another"));
    }
    session.onMessage(this::dispatch);
    session.onConnected(reconnect -> rejoin());
    return session
        .connect()
        .thenCompose(ok -> join())
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
      scheduler.scheduleAtFixedRate(this::periodicStatus, period, period, TimeUnit.MILLISECONDS);
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
   * {@link #start()}, waiting.
   *
   * @throws TroupeException what {@link #start()} fails with
   */
  public @NotNull List<Registration> startBlocking() {
    return GatewayApiClient.await(start());
  }

  private void rejoin() {
    if (left || closed.get()) {
      return;
    }
    join()
        .whenComplete(
            (r, e) -> {
              if (e != null) {
                log.warn(
                    "could not rejoin after reconnecting [device: {}]: {}",
                    settings.deviceId,
                    e.getMessage());
              }
            });
  }

  private CompletableFuture<List<Registration>> join() {
    return session
        .subscribe(topics.deviceInbox(settings.deviceId), topics.responseFilter(settings.deviceId))
        .thenCompose(ok -> api.call(GatewayRequests.join(settings.community)))
        .thenCompose(ok -> registerAll())
        .thenCompose(list -> publishStatus().thenApply(ok -> list));
  }

  private CompletableFuture<List<Registration>> registerAll() {
    CompletableFuture<List<Registration>> chain =
        CompletableFuture.completedFuture(new ArrayList<>());
    for (final Map.Entry<String, Service> e : settings.services.entrySet()) {
      if (deregistered.contains(e.getKey())) {
        continue;
      }
      chain =
          chain.thenCompose(
              list ->
                  register(e.getKey(), e.getValue())
                      .thenApply(
                          r -> {
                            list.add(r);
                            return list;
                          }));
    }
    return chain.thenApply(List::copyOf);
  }

  private CompletableFuture<Registration> register(final String name, final Service service) {
    return api.call(GatewayRequests.register(settings.community, name, service.descriptor()))
        .thenCompose(
            response -> {
              final Registration r =
                  new Registration(
                      name,
                      response.getRegistration().getAddress(),
                      response.getRegistration().getRole());
              registrations.put(name, r);
              final CompletableFuture<Void> share =
                  isEnabled(name) ? CompletableFuture.completedFuture(null) : sendEnabled(r, false);
              return share.thenCompose(ok -> publishDescriptor(name, service)).thenApply(ok -> r);
            });
  }

  private CompletableFuture<Void> publishDescriptor(final String name, final Service service) {
    final ServiceDescriptor descriptor =
        GatewayRequests.descriptor(
            service.descriptor(), settings.community, name, settings.deviceId);
    return session.publish(
        Outgoing.of(
                topics.descriptor(settings.community, name, settings.deviceId),
                descriptor.toByteArray())
            .asRetained());
  }

  /** This device's registrations by service name, as the gateway last said (role changes too). */
  public @NotNull Map<String, Registration> registrations() {
    return Map.copyOf(registrations);
  }

  /** How many forwarded requests the handlers are working on. */
  public int requestsInProgress() {
    return server.inProgress();
  }

  /** The device id (also its identity and MQTT client id). */
  public @NotNull String deviceId() {
    return settings.deviceId;
  }

  /** The status this agent would publish now. */
  public @NotNull StatusMessage status() {
    return buildStatus(sequence.get());
  }

  /**
   * Says available or busy (a busy server gets no new requests); publishes the status at once.
   * Completes when the broker has it; a status that could not be published is logged, not failed,
   * and the next periodic one carries the change.
   */
  public @NotNull CompletableFuture<Void> setAvailability(final @NotNull Availability value) {
    availability = Objects.requireNonNull(value, "value");
    return publishStatus();
  }

  /**
   * Replaces the device metrics the application reports (location, network type, link, battery,
   * load, components…) and publishes the status at once. The agent fills in requests in progress,
   * their limit and the device time itself, and free memory unless given here.
   */
  public @NotNull CompletableFuture<Void> setMetrics(final @NotNull Metrics value) {
    metrics = Objects.requireNonNull(value, "value");
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
    requireService(service);
    final Registration r = registrations.get(service);
    if (r == null) {
      enabled.put(service, value);
      return CompletableFuture.completedFuture(null);
    }
    return sendEnabled(r, value)
        .thenCompose(
            ok -> {
              enabled.put(service, value);
              return publishStatus();
            });
  }

  private CompletableFuture<Void> sendEnabled(final Registration r, final boolean value) {
    return api.call(GatewayRequests.setEnabled(r.address(), value)).thenApply(ok -> null);
  }

  /**
   * Leaves the community: the gateway drops this device from every service there. The agent stops
   * reporting status and will not rejoin on reconnection; close it when done. Fails with a {@link
   * TroupeException} when the gateway refuses.
   */
  public @NotNull CompletableFuture<Void> leave() {
    return api.call(GatewayRequests.leave(settings.community))
        .thenApply(
            r -> {
              left = true;
              registrations.clear();
              log.info("left {} [device: {}]", settings.community, settings.deviceId);
              return null;
            });
  }

  /**
   * Stops serving {@code service}: the registration is removed at the gateway and is not renewed on
   * reconnection. (Closing the agent does not deregister: the device is then merely offline.) Fails
   * with a {@link TroupeException} when the gateway refuses.
   *
   * @throws IllegalArgumentException if this agent has no such service
   */
  public @NotNull CompletableFuture<Void> deregister(final @NotNull String service) {
    requireService(service);
    return api.call(GatewayRequests.deregister(settings.community, service))
        .thenCompose(
            r -> {
              deregistered.add(service);
              registrations.remove(service);
              return publishStatus();
            });
  }

  private void requireService(final String service) {
    if (!settings.services.containsKey(Objects.requireNonNull(service, "service"))) {
      throw new IllegalArgumentException(settings.deviceId + " has no service '" + service + "'");
    }
  }

  private boolean isEnabled(final String service) {
    return enabled.getOrDefault(service, true);
  }

  private Optional<ServiceHandler> handlerOf(final String service) {
    if (deregistered.contains(service)) {
      return Optional.empty();
    }
    if (service.isEmpty() && settings.services.size() == 1) {
      return Optional.of(settings.services.values().iterator().next().handler());
    }
    return Optional.ofNullable(settings.services.get(service)).map(Service::handler);
  }

  private void periodicStatus() {
    if (!left) {
      publishStatus();
    }
  }

  private CompletableFuture<Void> publishStatus() {
    if (left || !started.get()) {
      return CompletableFuture.completedFuture(null);
    }
    return session
        .publish(
            Outgoing.of(
                    topics.status(settings.community, settings.deviceId),
                    buildStatus(sequence.incrementAndGet()).toByteArray())
                .asRetained())
        .exceptionally(
            e -> {
              log.debug("status not published [device: {}]: {}", settings.deviceId, e.toString());
              return null;
            });
  }

  private StatusMessage buildStatus(final long seq) {
    final List<ServiceShare> shares = new ArrayList<>();
    for (final String service : settings.services.keySet()) {
      if (deregistered.contains(service)) {
        continue;
      }
      final ServiceShare.Builder share =
          ServiceShare.newBuilder().setService(service).setEnabled(isEnabled(service));
      Optional.ofNullable(registrations.get(service)).ifPresent(r -> share.setRole(r.role()));
      shares.add(share.build());
    }
    return StatusReports.build(
        settings.deviceId,
        availability,
        shares,
        metrics,
        settings.criteria,
        new StatusReports.Load(
            server.inProgress(), settings.maxRequestsInProgress, StatusReports.jvmMemoryFree()),
        System.currentTimeMillis(),
        seq);
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
      log.info(
          "control from the gateway [device: {}, service: {}, directive: {}]",
          settings.deviceId,
          control.getAddress(),
          control.getDirectiveCase());
      if (control.hasRole() && registrations.containsKey(control.getService())) {
        registrations.put(
            control.getService(),
            new Registration(
                control.getService(), control.getAddress(), control.getRole().getRole()));
        log.info(
            "now {} of {} [device: {}]",
            control.getRole().getRole(),
            control.getAddress(),
            settings.deviceId);
        publishStatus();
      }
      settings.controlListener.accept(control);
    }
  }

  /**
   * Stops serving: publishes a retained OFFLINE status (waiting up to 2 s for it), then disconnects
   * cleanly, so the Will is not needed. The registrations stay at the gateway: the device is simply
   * offline until an agent with its id starts again. Requests still being handled are abandoned
   * (the gateway fails them over). Idempotent; never throws.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    scheduler.shutdownNow();
    availability = Availability.OFFLINE;
    if (session.isConnected() && !left) {
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

  record Service(ServiceHandler handler, Optional<ServiceDescriptor> descriptor) {}
}
