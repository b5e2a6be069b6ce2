package io.troupe.agent.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.troupe.agent.api.ServiceHandler;
import io.troupe.agent.api.ServiceResponse;
import io.troupe.proto.v1.TunnelRequest;
import io.troupe.proto.v1.TunnelResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the requests the gateway forwards to a device: runs the service's handler on the handler
 * executor (never on the MQTT client's thread) and publishes a TunnelResponse to the request's
 * response topic with its correlation data. A handler that throws or fails is answered 500; a
 * malformed request 400; a service this device does not serve 503 (the gateway then tries the next
 * server).
 */
public final class RequestServer {

  private static final Logger log = LoggerFactory.getLogger(RequestServer.class);

  private final MqttSession session;
  private final String defaultReplyTopic;
  private final String deviceId;
  private final Function<String, Optional<ServiceHandler>> handlerOf;
  private final Executor handlers;
  private final AtomicInteger inProgress;

  public RequestServer(
      final MqttSession session,
      final String defaultReplyTopic,
      final String deviceId,
      final Function<String, Optional<ServiceHandler>> handlerOf,
      final Executor handlers,
      final AtomicInteger inProgress) {
    this.session = session;
    this.defaultReplyTopic = defaultReplyTopic;
    this.deviceId = deviceId;
    this.handlerOf = handlerOf;
    this.handlers = handlers;
    this.inProgress = inProgress;
  }

  /** Serves one message from the device's request topic. */
  public void serve(final Incoming message) {
    final TunnelRequest request;
    try {
      request = TunnelRequest.parseFrom(message.payload());
    } catch (final InvalidProtocolBufferException e) {
      log.warn("malformed forwarded request [device: {}]", deviceId);
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
    final Optional<ServiceHandler> handler = handlerOf.apply(request.getService());
    final String to = message.responseTopic().orElse(defaultReplyTopic);
    if (handler.isEmpty()) {
      reply(
          to,
          message.correlation(),
          TunnelResponse.newBuilder()
              .setRequestId(request.getRequestId())
              .setStatus(503)
              .putProperties("reason", deviceId + " does not serve " + request.getService())
              .build());
      return;
    }
    inProgress.incrementAndGet();
    handlers.execute(
        () -> {
          CompletableFuture<ServiceResponse> answer;
          try {
            answer = handler.get().handle(Translation.request(request));
          } catch (final RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
          }
          answer.whenComplete(
              (response, error) -> {
                inProgress.decrementAndGet();
                reply(
                    to,
                    message.correlation(),
                    error == null
                        ? Translation.response(request.getRequestId(), response)
                        : Translation.failure(request.getRequestId(), 500, error));
              });
        });
  }

  private void reply(
      final String to, final Optional<byte[]> correlation, final TunnelResponse response) {
    session
        .publish(Outgoing.of(to, response.toByteArray()).reply(to, correlation))
        .exceptionally(
            e -> {
              log.warn(
                  "could not answer a request [device: {}, request: {}]",
                  deviceId,
                  response.getRequestId(),
                  e);
              return null;
            });
  }
}
