package io.troupe.agent.internal;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import com.google.protobuf.InvalidProtocolBufferException;
import io.troupe.agent.api.ServiceHandler;
import io.troupe.agent.api.ServiceResponse;
import io.troupe.contract.content.SyncFetch;
import io.troupe.proto.v1.TunnelRequest;
import io.troupe.proto.v1.TunnelResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the requests the gateway forwards to a device: runs the service's handler on the handler
 * executor (never on the MQTT client's thread) and publishes a TunnelResponse to the request's
 * response topic with its correlation data echoed. A handler that throws, fails or answers nothing
 * is answered 500, one still working a second past the consumer's deadline 504 (and no longer
 * counted in progress); a malformed request 400 (when it says where to answer); a service this
 * device does not serve, or a request over the in-progress limit, 503 (the gateway then tries the
 * next server).
 */
public final class RequestServer {

  private static final Logger log = LoggerFactory.getLogger(RequestServer.class);

  /**
   * How long past the consumer's deadline a handler's request still counts as in progress. The
   * gateway has answered 504 by then; a handler that never completes must not hold a slot forever.
   */
  private static final Duration DEFAULT_LATENESS = Duration.ofSeconds(1);

  private final Publisher publisher;
  private final String defaultReplyTopic;
  private final String deviceId;
  private final BiFunction<String, String, Optional<ServiceHandler>> handlerOf;
  private final Executor handlers;
  private final int maxInProgress;
  private final Runnable onSaturationChange;
  private final Duration lateness;
  private final AtomicInteger inProgress = new AtomicInteger();
  private volatile Function<TunnelRequest, TunnelResponse> syncFetches =
      RequestServer::keepsNoContent;

  /**
   * @param defaultReplyTopic where to answer a request that names no response topic
   * @param maxInProgress the most requests handled at once; 0 for no limit
   * @param onSaturationChange called when the limit is reached and when it is left again
   */
  public RequestServer(
      final Publisher publisher,
      final String defaultReplyTopic,
      final String deviceId,
      final BiFunction<String, String, Optional<ServiceHandler>> handlerOf,
      final Executor handlers,
      final int maxInProgress,
      final Runnable onSaturationChange) {
    this(
        publisher,
        defaultReplyTopic,
        deviceId,
        handlerOf,
        handlers,
        maxInProgress,
        onSaturationChange,
        DEFAULT_LATENESS);
  }

  RequestServer(
      final Publisher publisher,
      final String defaultReplyTopic,
      final String deviceId,
      final BiFunction<String, String, Optional<ServiceHandler>> handlerOf,
      final Executor handlers,
      final int maxInProgress,
      final Runnable onSaturationChange,
      final Duration lateness) {
    this.lateness = lateness;
    this.publisher = publisher;
    this.defaultReplyTopic = defaultReplyTopic;
    this.deviceId = deviceId;
    this.handlerOf = handlerOf;
    this.handlers = handlers;
    this.maxInProgress = maxInProgress;
    this.onSaturationChange = onSaturationChange;
  }

  /**
   * Answers other members' sync fetches ({@code SYNC} requests) with {@code answers} instead of
   * refusing them: they never reach a handler, and are not counted in progress (server-to-server
   * traffic the gateway bounds per service). Call before the agent starts.
   */
  public void answerSyncFetches(final Function<TunnelRequest, TunnelResponse> answers) {
    syncFetches = answers;
  }

  /** How many requests the handlers are working on. */
  public int inProgress() {
    return inProgress.get();
  }

  /** Serves one message from the device's request topic. */
  public void serve(final Incoming message) {
    final TunnelRequest request;
    try {
      request = TunnelRequest.parseFrom(message.payload());
    } catch (final InvalidProtocolBufferException e) {
      log.warn(
          "malformed forwarded request [device: {}, topic: {}]: {}",
          deviceId,
          message.topic(),
          e.getMessage());
      message
          .responseTopic()
          .ifPresent(
              to ->
                  reply(
                      to,
                      message.correlation(),
                      TunnelResponse.newBuilder()
                          .setStatus(400)
                          .putProperties("reason", "malformed TunnelRequest")
                          .build()));
      return;
    }
    final String to = message.responseTopic().orElse(defaultReplyTopic);
    if (SyncFetch.METHOD.equals(request.getMethod())) {
      serveSyncFetch(request, to, message);
      return;
    }
    final Optional<ServiceHandler> handler =
        handlerOf.apply(request.getCommunity(), request.getService());
    if (handler.isEmpty()) {
      refuse(to, message, request, deviceId + " does not serve '" + request.getService() + "'");
      return;
    }
    if (!enter()) {
      refuse(to, message, request, deviceId + " is busy: " + maxInProgress + " requests");
      return;
    }
    log.debug(
        "serving [device: {}, service: {}, request: {}, attempt: {}]",
        deviceId,
        request.getService(),
        request.getRequestId(),
        request.getAttempt());
    try {
      handlers.execute(() -> handle(handler.get(), request, to, message));
    } catch (final RejectedExecutionException e) {
      leave();
      refuse(to, message, request, deviceId + " is stopping");
    }
  }

  /**
   * Answers the gateway's ping {@code id} on the device's reply topic, the id as correlation data
   * and request id: the device is there. Not counted in progress: a ping runs no handler.
   */
  public void ping(final String id) {
    reply(
        defaultReplyTopic,
        Optional.of(id.getBytes(StandardCharsets.UTF_8)),
        TunnelResponse.newBuilder().setRequestId(id).setStatus(200).build());
  }

  /**
   * Runs the serving path once on a synthetic request, end to end but for the application's handler
   * (which may have effects): parsing, translation, the handler executor, the answer and its
   * publish to the reply topic, which the gateway drops as an answer to no request. Without it the
   * first real request of a fresh agent waits hundreds of milliseconds for class loading and cold
   * code, which is exactly when a failover needs it fast. Completes when the answer is published,
   * or failed; never fails.
   */
  public CompletableFuture<Void> warmUp() {
    final String id = "warm-up." + deviceId;
    final TunnelRequest request =
        TunnelRequest.newBuilder()
            .setRequestId(id)
            .setService("warm-up")
            .setConsumer(deviceId)
            .setBody(com.google.protobuf.ByteString.copyFromUtf8("warm-up"))
            .setDeadlineMs(System.currentTimeMillis() + 10_000)
            .build();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      handlers.execute(
          () -> {
            try {
              final TunnelRequest parsed = TunnelRequest.parseFrom(request.toByteArray());
              final ServiceResponse echoed =
                  ServiceHandler.echo().handle(Translation.request(parsed)).join();
              send(
                      defaultReplyTopic,
                      Optional.of(id.getBytes(StandardCharsets.UTF_8)),
                      Translation.outcome(parsed, echoed, null))
                  .whenComplete((ok, e) -> done.complete(null));
            } catch (final InvalidProtocolBufferException | RuntimeException e) {
              log.debug("warm-up failed [device: {}]: {}", deviceId, e.toString());
              done.complete(null);
            }
          });
    } catch (final RejectedExecutionException e) {
      done.complete(null);
    }
    return done;
  }

  private void serveSyncFetch(
      final TunnelRequest request, final String to, final Incoming message) {
    final Function<TunnelRequest, TunnelResponse> answers = syncFetches;
    try {
      handlers.execute(() -> reply(to, message.correlation(), answers.apply(request)));
    } catch (final RejectedExecutionException e) {
      refuse(to, message, request, deviceId + " is stopping");
    }
  }

  private static TunnelResponse keepsNoContent(final TunnelRequest request) {
    return TunnelResponse.newBuilder()
        .setRequestId(request.getRequestId())
        .setStatus(503)
        .putProperties("reason", "not held: this device keeps no content")
        .build();
  }

  private void handle(
      final ServiceHandler handler,
      final TunnelRequest request,
      final String to,
      final Incoming message) {
    CompletableFuture<ServiceResponse> answer;
    try {
      answer = handler.handle(Translation.request(request));
      if (answer == null) {
        answer = CompletableFuture.failedFuture(new IllegalStateException("no answer"));
      }
    } catch (final RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    if (request.getDeadlineMs() > 0 && !answer.isDone()) {
      final long left = request.getDeadlineMs() - System.currentTimeMillis();
      answer = answer.copy().orTimeout(Math.max(0, left) + lateness.toMillis(), MILLISECONDS);
    }
    answer.whenComplete(
        (response, error) -> {
          leave();
          reply(to, message.correlation(), Translation.outcome(request, response, error));
          if (error != null) {
            log.info(
                "handler failed [device: {}, service: {}, request: {}]: {}",
                deviceId,
                request.getService(),
                request.getRequestId(),
                String.valueOf(error));
          }
        });
  }

  private boolean enter() {
    while (true) {
      final int now = inProgress.get();
      if (maxInProgress > 0 && now >= maxInProgress) {
        return false;
      }
      if (inProgress.compareAndSet(now, now + 1)) {
        if (maxInProgress > 0 && now + 1 == maxInProgress) {
          onSaturationChange.run();
        }
        return true;
      }
    }
  }

  private void leave() {
    if (inProgress.getAndDecrement() == maxInProgress && maxInProgress > 0) {
      onSaturationChange.run();
    }
  }

  private void refuse(
      final String to, final Incoming message, final TunnelRequest request, final String reason) {
    log.debug("refused [device: {}, request: {}]: {}", deviceId, request.getRequestId(), reason);
    reply(
        to,
        message.correlation(),
        TunnelResponse.newBuilder()
            .setRequestId(request.getRequestId())
            .setStatus(503)
            .putProperties("reason", reason)
            .build());
  }

  private void reply(
      final String to, final Optional<byte[]> correlation, final TunnelResponse response) {
    send(to, correlation, response);
  }

  private CompletableFuture<?> send(
      final String to, final Optional<byte[]> correlation, final TunnelResponse response) {
    return publisher
        .publish(Outgoing.of(to, response.toByteArray()).reply(to, correlation))
        .exceptionally(
            e -> {
              log.warn(
                  "could not answer a request [device: {}, request: {}]: {}",
                  deviceId,
                  response.getRequestId(),
                  e.getMessage());
              return null;
            });
  }
}
