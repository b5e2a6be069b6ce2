package io.troupe.agent.api;

import io.troupe.agent.internal.GatewayApiClient;
import io.troupe.agent.internal.MqttSession;
import io.troupe.agent.internal.RequestServer;
import io.troupe.agent.internal.content.ItemSource;
import io.troupe.agent.internal.content.MqttItemSource;
import io.troupe.agent.internal.content.SyncAnswerer;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.Availability;
import java.util.List;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TroupeAgent}'s machinery: the parts it is built of (its MQTT session, threads,
 * memberships, request server, status and local serving), and the order in which they start, stop
 * when another connection takes the session over, and close. {@link TroupeAgent} is its public
 * face.
 */
final class AgentRuntime {

  // the agent's own logger, as before this class was split from it
  private static final Logger log = LoggerFactory.getLogger(TroupeAgent.class);

  final TroupeAgentBuilder settings;
  final Topics topics;
  final MqttSession session;
  final Communities communities;
  final RequestServer server;
  final StatusReporter status;
  final LocalServing local;
  final AccessPolicies policies;
  final SyncedContent content;

  /** Fetches items from the other servers of a service (R4). */
  final ItemSource items;

  private final ScheduledExecutorService scheduler;
  private final ScheduledExecutorService contentThread;
  private final ExecutorService ownHandlers;
  private final Inbox inbox;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean serving;
  private final CompletableFuture<String> takenOver = new CompletableFuture<>();

  AgentRuntime(final TroupeAgentBuilder settings) {
    this.settings = settings;
    this.topics = Topics.withRoot(settings.topicRoot);
    this.session = new MqttSession(settings.session(settings.deviceId, settings.deviceId));
    final GatewayApiClient api = new GatewayApiClient(session, topics, settings.apiTimeout);
    this.policies = new AccessPolicies(api::call);
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
    // scanning folders and reaching descriptors: never on the MQTT client's or the status thread
    this.contentThread =
        Executors.newSingleThreadScheduledExecutor(daemon("troupe-content-" + settings.deviceId));
    this.items =
        settings.itemSource != null
            ? settings.itemSource
            : new MqttItemSource(session, topics, settings.deviceId, handlers);
    this.content = new SyncedContent(settings, items, contentThread, this::publishContent);
    this.communities =
        new Communities(settings, topics, session, api, scheduler, this::publishStatus, content);
    this.server =
        new RequestServer(
            session,
            topics.gatewayReply(settings.deviceId),
            settings.deviceId,
            communities::handlerOf,
            handlers,
            settings.maxRequestsInProgress,
            this::publishStatus);
    this.server.answerSyncFetches(
        new SyncAnswerer(settings.deviceId, communities::storeOf)::answer);
    this.local = new LocalServing(settings.deviceId, communities::handlerOf);
    this.status =
        new StatusReporter(
            settings,
            topics,
            session,
            communities.all(),
            server::inProgress,
            () -> started.get() && !communities.hasLeftAll());
    this.inbox =
        new Inbox(
            settings,
            topics,
            server,
            communities,
            local,
            new Volunteering(settings.deviceId, items, handlers),
            this::publishStatus,
            content);
  }

  /** What {@link TroupeAgent#start()} says. */
  CompletableFuture<List<Registration>> start() {
    if (closed.get() || !started.compareAndSet(false, true)) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("an agent starts once; build another"));
    }
    session.onMessage(inbox::dispatch);
    session.onReconnected(communities::rejoin);
    session.onTakenOver(this::takenOver);
    return CompletableFuture.runAsync(content::start, contentThread)
        .thenCompose(ok -> session.connect())
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

  /** What {@link TroupeAgent#sessionTakenOver()} says. */
  CompletableFuture<String> sessionTakenOver() {
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

  private CompletableFuture<Void> publishContent(final String service) {
    return communities.publishContent(service);
  }

  CompletableFuture<Void> publishStatus() {
    return status.publish();
  }

  /** What {@link TroupeAgent#close()} says. */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    communities.stop();
    scheduler.shutdownNow();
    content.close();
    contentThread.shutdownNow();
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
}
