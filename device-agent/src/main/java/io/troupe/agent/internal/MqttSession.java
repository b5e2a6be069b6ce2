package io.troupe.agent.internal;

import io.troupe.agent.api.TroupeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one class that speaks Paho: Paho tokens become futures, PUBACK failure codes become {@link
 * TroupeException}s, and publishes wait for a free slot instead of failing with Paho's "too many
 * publishes in progress" (32202).
 */
public final class MqttSession implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MqttSession.class);
  private static final int MAX_IN_FLIGHT = 1000;

  /** What to connect to and as whom. */
  public record Settings(
      String host,
      int port,
      String clientId,
      Optional<String> user,
      Optional<byte[]> password,
      Optional<Will> will,
      boolean reconnect) {}

  /** A Will message: retained, QoS 1. */
  public record Will(String topic, byte[] payload) {}

  private final Settings settings;
  private final MqttAsyncClient client;
  private final Map<String, CompletableFuture<Incoming>> waiting = new ConcurrentHashMap<>();
  private final AtomicLong correlations = new AtomicLong();
  private final Queue<Runnable> queued = new ConcurrentLinkedQueue<>();
  private volatile Semaphore slots = new Semaphore(10);
  private volatile BiConsumer<String, Incoming> listener = (t, m) -> {};
  private volatile Consumer<Boolean> onConnected = r -> {};

  public MqttSession(final Settings settings) {
    this.settings = settings;
    try {
      this.client =
          new MqttAsyncClient(
              "tcp://" + settings.host() + ":" + settings.port(),
              settings.clientId(),
              new MemoryPersistence());
    } catch (final MqttException e) {
      throw new IllegalArgumentException("bad MQTT client settings: " + e.getMessage(), e);
    }
    client.setCallback(new Callback());
  }

  /** Messages that answer no pending request. Set before {@link #connect()}. */
  public void onMessage(final BiConsumer<String, Incoming> listener) {
    this.listener = listener;
  }

  /** Called after every successful (re)connection, with true for a reconnection. */
  public void onConnected(final Consumer<Boolean> callback) {
    this.onConnected = callback;
  }

  public String clientId() {
    return settings.clientId();
  }

  /**
   * Connects. Fails with a {@link TroupeException} of status 403 when the broker refuses the
   * credentials, 503 when it cannot be reached.
   */
  public CompletableFuture<Void> connect() {
    final MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setSocketFactory(new NoDelaySocketFactory());
    options.setAutomaticReconnect(settings.reconnect());
    options.setAutomaticReconnectDelay(1, 10);
    options.setConnectionTimeout(10);
    options.setKeepAliveInterval(30);
    settings.user().ifPresent(options::setUserName);
    settings.password().ifPresent(options::setPassword);
    settings
        .will()
        .ifPresent(
            w ->
                options.setWill(
                    w.topic(), new MqttMessage(w.payload(), 1, true, new MqttProperties())));
    final CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      client.connect(
          options,
          null,
          new MqttActionListener() {
            @Override
            public void onSuccess(final IMqttToken token) {
              final MqttProperties p = token.getResponseProperties();
              final Integer receiveMaximum = p == null ? null : p.getReceiveMaximum();
              slots =
                  new Semaphore(
                      Math.min(MAX_IN_FLIGHT, receiveMaximum == null ? 65535 : receiveMaximum));
              done.complete(null);
            }

            @Override
            public void onFailure(final IMqttToken token, final Throwable error) {
              done.completeExceptionally(connectFailure(error));
            }
          });
    } catch (final MqttException e) {
      done.completeExceptionally(connectFailure(e));
    }
    return done;
  }

  private static TroupeException connectFailure(final Throwable error) {
    final int code = error instanceof MqttException m ? m.getReasonCode() : -1;
    if (code == 0x86 || code == 0x87 || code == 0x85 || code == 4 || code == 5) {
      return new TroupeException(
          403, "the broker refused the credentials (" + error.getMessage() + ")", error);
    }
    return new TroupeException(503, "cannot connect: " + error.getMessage(), error);
  }

  /** Subscribes QoS 1; fails with 403 when the broker refuses a filter. */
  public CompletableFuture<Void> subscribe(final String... filters) {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final MqttSubscription[] subscriptions = new MqttSubscription[filters.length];
    for (int i = 0; i < filters.length; i++) {
      subscriptions[i] = new MqttSubscription(filters[i], 1);
    }
    try {
      client.subscribe(
          subscriptions,
          null,
          new MqttActionListener() {
            @Override
            public void onSuccess(final IMqttToken token) {
              final int[] codes = token.getReasonCodes();
              for (int i = 0; codes != null && i < codes.length; i++) {
                if (codes[i] >= 0x80) {
                  done.completeExceptionally(
                      new TroupeException(
                          403,
                          "subscription to "
                              + filters[Math.min(i, filters.length - 1)]
                              + " refused (0x"
                              + Integer.toHexString(codes[i])
                              + ")"));
                  return;
                }
              }
              done.complete(null);
            }

            @Override
            public void onFailure(final IMqttToken token, final Throwable error) {
              done.completeExceptionally(
                  new TroupeException(403, "subscription refused: " + error.getMessage(), error));
            }
          },
          new MqttProperties());
    } catch (final MqttException e) {
      done.completeExceptionally(
          new TroupeException(503, "cannot subscribe: " + e.getMessage(), e));
    }
    return done;
  }

  /**
   * Publishes QoS 1 and completes on the PUBACK. A failure reason code completes it with a {@link
   * TroupeException} whose status is read from the reason string ("403 …").
   */
  public CompletableFuture<Void> publish(final Outgoing message) {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final Runnable send = () -> send(message, done);
    if (slots.tryAcquire()) {
      send.run();
    } else {
      queued.add(send);
      drain();
    }
    return done;
  }

  /**
   * Publishes {@code message} with a fresh correlation id and its response topic, and completes
   * with the first message that carries that correlation back, or fails after {@code timeout}.
   */
  public CompletableFuture<Incoming> request(final Outgoing message, final Duration timeout) {
    final String id = clientId() + "-" + correlations.incrementAndGet();
    final CompletableFuture<Incoming> answer = new CompletableFuture<>();
    waiting.put(id, answer);
    final Outgoing withId =
        new Outgoing(
            message.topic(),
            message.payload(),
            false,
            message.responseTopic(),
            Optional.of(id.getBytes(StandardCharsets.UTF_8)),
            message.userProperties(),
            message.contentType(),
            message.expirySeconds());
    publish(withId)
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                answer.completeExceptionally(error);
              }
            });
    return answer
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (value, error) -> {
              waiting.remove(id);
              if (error instanceof TimeoutException) {
                throw new java.util.concurrent.CompletionException(
                    new TroupeException(504, "no answer within " + timeout.toMillis() + " ms"));
              }
              if (error != null) {
                throw error instanceof java.util.concurrent.CompletionException c
                    ? c
                    : new java.util.concurrent.CompletionException(error);
              }
              return value;
            });
  }

  private void send(final Outgoing message, final CompletableFuture<Void> done) {
    final MqttProperties properties = new MqttProperties();
    message.responseTopic().ifPresent(properties::setResponseTopic);
    message.correlation().ifPresent(properties::setCorrelationData);
    message.expirySeconds().ifPresent(properties::setMessageExpiryInterval);
    if (!message.contentType().isEmpty()) {
      properties.setContentType(message.contentType());
    }
    if (!message.userProperties().isEmpty()) {
      final List<UserProperty> user = new ArrayList<>();
      message.userProperties().forEach((k, v) -> user.add(new UserProperty(k, v)));
      properties.setUserProperties(user);
    }
    try {
      client.publish(
          message.topic(),
          new MqttMessage(message.payload(), 1, message.retained(), properties),
          null,
          new MqttActionListener() {
            @Override
            public void onSuccess(final IMqttToken token) {
              release();
              final int[] codes = token.getReasonCodes();
              if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                done.completeExceptionally(pubackFailure(codes[0], token.getResponseProperties()));
              } else {
                done.complete(null);
              }
            }

            @Override
            public void onFailure(final IMqttToken token, final Throwable error) {
              release();
              if (error instanceof MqttException m
                  && m.getReasonCode() >= 0x80
                  && m.getReasonCode() <= 0xA2) {
                done.completeExceptionally(
                    pubackFailure(m.getReasonCode(), token.getResponseProperties()));
              } else {
                done.completeExceptionally(
                    new TroupeException(503, "publish failed: " + error.getMessage(), error));
              }
            }
          });
    } catch (final MqttException e) {
      release();
      done.completeExceptionally(new TroupeException(503, "publish failed: " + e.getMessage(), e));
    }
  }

  static TroupeException pubackFailure(final int code, final MqttProperties properties) {
    final String reason =
        properties == null || properties.getReasonString() == null
            ? ""
            : properties.getReasonString();
    int status =
        switch (code) {
          case 0x87 -> 403;
          case 0x90 -> 404;
          case 0x97 -> 429;
          case 0x99, 0x83 -> 400;
          default -> 503;
        };
    if (reason.length() >= 3 && reason.substring(0, 3).chars().allMatch(Character::isDigit)) {
      status = Integer.parseInt(reason.substring(0, 3));
    }
    return new TroupeException(
        status,
        reason.isEmpty()
            ? "refused by the broker (0x" + Integer.toHexString(code) + ")"
            : reason.substring(Math.min(reason.length(), reason.indexOf(' ') + 1)));
  }

  private void release() {
    slots.release();
    drain();
  }

  private void drain() {
    Runnable next;
    while ((next = queued.peek()) != null && slots.tryAcquire()) {
      if (queued.remove(next)) {
        next.run();
      } else {
        slots.release();
      }
    }
  }

  public boolean isConnected() {
    return client.isConnected();
  }

  /** Disconnects with a normal DISCONNECT (the Will is not sent) and releases the client. */
  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect(5_000).waitForCompletion(6_000);
      }
    } catch (final MqttException e) {
      log.debug("disconnect failed [client: {}]", clientId(), e);
    }
    try {
      client.close(true);
    } catch (final MqttException e) {
      log.debug("close failed [client: {}]", clientId(), e);
    }
    waiting
        .values()
        .forEach(f -> f.completeExceptionally(new TroupeException(503, "the session was closed")));
  }

  private final class Callback implements MqttCallback {
    @Override
    public void messageArrived(final String topic, final MqttMessage message) {
      final MqttProperties p = message.getProperties();
      final Map<String, String> user = new HashMap<>();
      if (p != null && p.getUserProperties() != null) {
        p.getUserProperties().forEach(u -> user.put(u.getKey(), u.getValue()));
      }
      final Optional<byte[]> correlation =
          Optional.ofNullable(p == null ? null : p.getCorrelationData());
      final Incoming incoming =
          new Incoming(
              topic,
              message.getPayload(),
              Optional.ofNullable(p == null ? null : p.getResponseTopic()),
              correlation,
              user,
              p == null || p.getContentType() == null ? "" : p.getContentType());
      if (correlation.isPresent()) {
        final CompletableFuture<Incoming> f =
            waiting.remove(new String(correlation.get(), StandardCharsets.UTF_8));
        if (f != null) {
          f.complete(incoming);
          return;
        }
      }
      try {
        listener.accept(topic, incoming);
      } catch (final RuntimeException e) {
        log.warn("message listener failed [topic: {}]", topic, e);
      }
    }

    @Override
    public void connectComplete(final boolean reconnect, final String serverURI) {
      if (reconnect) {
        onConnected.accept(true);
      }
    }

    @Override
    public void disconnected(final MqttDisconnectResponse response) {
      log.info(
          "disconnected from the gateway [client: {}, reason: {}]",
          clientId(),
          response.getReasonString());
    }

    @Override
    public void mqttErrorOccurred(final MqttException exception) {
      log.warn("MQTT error [client: {}]", clientId(), exception);
    }

    @Override
    public void deliveryComplete(final IMqttToken token) {}

    @Override
    public void authPacketArrived(final int reasonCode, final MqttProperties properties) {}
  }
}
