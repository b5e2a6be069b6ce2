package io.troupe.agent.api;

import com.google.protobuf.InvalidProtocolBufferException;
import io.troupe.agent.internal.GatewayApiClient;
import io.troupe.agent.internal.MqttSession;
import io.troupe.agent.internal.Outgoing;
import io.troupe.agent.internal.RequestServer;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.DeregisterService;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.LeaveCommunity;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.ServiceShare;
import io.troupe.proto.v1.StatusMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device that serves services of one community through the Troupe gateway. It connects (with a
 * Will that marks it OFFLINE), joins the community, registers its services, publishes its status
 * periodically and on change, and answers forwarded requests through each service's {@link
 * ServiceHandler}. After a reconnection it subscribes, joins and registers again.
 *
 * <pre>{@code
 * TroupeAgent agent = TroupeAgent.builder().deviceId("dev1").password(pw).community("demo")
 *     .service("echo", ServiceHandler.echo()).build();
 * List<Registration> registrations = agent.start().join();
 * }</pre>
 */
public final class TroupeAgent implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TroupeAgent.class);

  private final TroupeAgentBuilder settings;
  private final Topics topics;
  private final MqttSession session;
  private final GatewayApiClient api;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService handlers;
  private final Map<String, Registration> registrations = new ConcurrentHashMap<>();
  private final Map<String, Boolean> enabled = new ConcurrentHashMap<>();
  private final AtomicInteger inProgress = new AtomicInteger();
  private final RequestServer server;
  private final AtomicLong sequence = new AtomicLong();
  private volatile Availability availability = Availability.AVAILABLE;

  TroupeAgent(final TroupeAgentBuilder settings) {
    this.settings = settings;
    this.topics = Topics.withRoot(settings.topicRoot);
    final StatusMessage will =
        StatusMessage.newBuilder()
            .setDeviceId(settings.deviceId)
            .setAvailability(Availability.OFFLINE)
            .build();
    this.session =
        new MqttSession(
            new MqttSession.Settings(
                settings.host,
                settings.port,
                settings.deviceId,
                Optional.of(settings.deviceId),
                Optional.of(settings.password.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                Optional.of(
                    new MqttSession.Will(
                        topics.status(settings.community, settings.deviceId), will.toByteArray())),
                true));
    this.api = new GatewayApiClient(session, topics, settings.apiTimeout);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            daemon("troupe-agent-status-" + settings.deviceId));
    this.handlers =
        settings.handlerThreads > 0
            ? Executors.newFixedThreadPool(
                settings.handlerThreads, daemon("troupe-agent-handler-" + settings.deviceId))
            : Executors.newCachedThreadPool(daemon("troupe-agent-handler-" + settings.deviceId));
    settings.services.keySet().forEach(s -> enabled.put(s, true));
    this.server =
        new RequestServer(
            session,
            topics.gatewayReply(settings.deviceId),
            settings.deviceId,
            name -> Optional.ofNullable(settings.services.get(name)).map(Service::handler),
            handlers,
            inProgress);
  }

  public static @NotNull TroupeAgentBuilder builder() {
    return new TroupeAgentBuilder();
  }

  /**
   * Connects, joins and registers every service. Completes with the registrations (the first
   * registrant of a service is its primary); fails with a {@link TroupeException}: 403 for refused
   * credentials or membership, 503 when the gateway cannot be reached, 504 when it does not answer.
   */
  public @NotNull CompletableFuture<List<Registration>> start() {
    session.onMessage(this::dispatch);
    session.onConnected(
        reconnect ->
            join()
                .whenComplete(
                    (r, e) -> {
                      if (e != null) {
                        log.warn(
                            "could not rejoin after reconnecting [device: {}]",
                            settings.deviceId,
                            e);
                      }
                    }));
    return session
        .connect()
        .thenCompose(ok -> join())
        .thenApply(
            list -> {
              final long period = settings.statusInterval.toMillis();
              scheduler.scheduleAtFixedRate(
                  this::publishStatus, period, period, TimeUnit.MILLISECONDS);
              return list;
            });
  }

  /** {@link #start()}, waiting; throws the {@link TroupeException} it failed with. */
  public @NotNull List<Registration> startBlocking() {
    return GatewayApiClient.await(start());
  }

  private CompletableFuture<List<Registration>> join() {
    return session
        .subscribe(topics.deviceInbox(settings.deviceId), topics.responseFilter(settings.deviceId))
        .thenCompose(
            ok ->
                api.call(
                    GatewayRequest.newBuilder()
                        .setJoinCommunity(
                            JoinCommunity.newBuilder()
                                .setCommunity(settings.community)
                                .setCreateIfAbsent(true))
                        .build()))
        .thenCompose(ok -> registerAll())
        .thenCompose(list -> publishStatus().thenApply(ok -> list));
  }

  private CompletableFuture<List<Registration>> registerAll() {
    CompletableFuture<List<Registration>> chain =
        CompletableFuture.completedFuture(new ArrayList<>());
    for (final Map.Entry<String, Service> e : settings.services.entrySet()) {
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
    return chain;
  }

  private CompletableFuture<Registration> register(final String name, final Service service) {
    final RegisterService.Builder op =
        RegisterService.newBuilder().setCommunity(settings.community).setService(name);
    service.descriptor.ifPresent(op::setServiceDescriptor);
    return api.call(GatewayRequest.newBuilder().setRegisterService(op).build())
        .thenCompose(
            response -> {
              final Registration r =
                  new Registration(
                      name,
                      response.getRegistration().getAddress(),
                      response.getRegistration().getRole());
              registrations.put(name, r);
              final ServiceDescriptor descriptor =
                  service
                      .descriptor
                      .orElse(ServiceDescriptor.newBuilder().setVersion(1).build())
                      .toBuilder()
                      .setService(name)
                      .setCommunity(settings.community)
                      .setDeviceId(settings.deviceId)
                      .build();
              return session
                  .publish(
                      Outgoing.of(
                              topics.descriptor(settings.community, name, settings.deviceId),
                              descriptor.toByteArray())
                          .asRetained())
                  .thenApply(ok -> r);
            });
  }

  /** This device's registrations, as the gateway last answered. */
  public @NotNull Map<String, Registration> registrations() {
    return Map.copyOf(registrations);
  }

  /** How many forwarded requests the handlers are working on. */
  public int requestsInProgress() {
    return inProgress.get();
  }

  /** Says available or busy; a busy server gets no new requests. Publishes the status at once. */
  public @NotNull CompletableFuture<Void> setAvailability(final @NotNull Availability value) {
    availability = Objects.requireNonNull(value, "value");
    return publishStatus();
  }

  /** Leaves the community: this device stops serving all its services there. */
  public @NotNull CompletableFuture<Void> leave() {
    return api.call(
            GatewayRequest.newBuilder()
                .setLeaveCommunity(LeaveCommunity.newBuilder().setCommunity(settings.community))
                .build())
        .thenApply(r -> null);
  }

  /** Stops serving {@code service}; the registration is removed at the gateway. */
  public @NotNull CompletableFuture<Void> deregister(final @NotNull String service) {
    return api.call(
            GatewayRequest.newBuilder()
                .setDeregisterService(
                    DeregisterService.newBuilder()
                        .setCommunity(settings.community)
                        .setService(service))
                .build())
        .thenApply(
            r -> {
              registrations.remove(service);
              return null;
            });
  }

  private CompletableFuture<Void> publishStatus() {
    final Runtime rt = Runtime.getRuntime();
    final StatusMessage.Builder status =
        StatusMessage.newBuilder()
            .setDeviceId(settings.deviceId)
            .setAvailability(availability)
            .setSentAtMs(System.currentTimeMillis())
            .setSequence(sequence.incrementAndGet())
            .setMetrics(
                Metrics.newBuilder()
                    .setDeviceTimeMs(System.currentTimeMillis())
                    .setRequestsInProgress(inProgress.get())
                    .setMaxRequestsInProgress(settings.maxRequestsInProgress)
                    .setMemoryFreeBytes(rt.maxMemory() - rt.totalMemory() + rt.freeMemory()));
    for (final String service : settings.services.keySet()) {
      final ServiceShare.Builder share =
          ServiceShare.newBuilder()
              .setService(service)
              .setEnabled(enabled.getOrDefault(service, true));
      Optional.ofNullable(registrations.get(service)).ifPresent(r -> share.setRole(r.role()));
      status.addServices(share);
    }
    return session
        .publish(
            Outgoing.of(
                    topics.status(settings.community, settings.deviceId),
                    status.build().toByteArray())
                .asRetained())
        .exceptionally(
            e -> {
              log.debug("status not published [device: {}]", settings.deviceId, e);
              return null;
            });
  }

  private void dispatch(final String topic, final io.troupe.agent.internal.Incoming message) {
    if (topic.equals(topics.deviceRequests(settings.deviceId))) {
      server.serve(message);
    } else if (topic.equals(topics.deviceControl(settings.deviceId))) {
      try {
        final Control control = Control.parseFrom(message.payload());
        log.info(
            "control from the gateway [device: {}, directive: {}]",
            settings.deviceId,
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
      } catch (final InvalidProtocolBufferException e) {
        log.warn("dropped a malformed control message [device: {}]", settings.deviceId);
      }
    }
  }

  /**
   * Stops serving: publishes a retained OFFLINE status, then disconnects cleanly (the Will is not
   * needed). The registrations stay: this device is simply offline until it starts again.
   */
  @Override
  public void close() {
    scheduler.shutdownNow();
    availability = Availability.OFFLINE;
    if (session.isConnected()) {
      try {
        publishStatus().get(2, TimeUnit.SECONDS);
      } catch (final Exception e) {
        log.debug("final status not confirmed [device: {}]", settings.deviceId, e);
      }
    }
    session.close();
    handlers.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon(final String name) {
    final AtomicInteger n = new AtomicInteger();
    return r -> {
      final Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  record Service(ServiceHandler handler, Optional<ServiceDescriptor> descriptor) {}
}
