package io.troupe.agent.internal;

import io.troupe.agent.api.TroupeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
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
 * The one class that speaks Paho: Paho tokens become futures and PUBACK failure codes {@link
 * TroupeException}s. Publishes go through a {@link BoundedPublisher} sized to the broker's receive
 * maximum (so Paho's "too many publishes in progress", 32202, is waited out, not fatal), requests
 * through a {@link Requester}.
 */
public final class MqttSession implements Publisher, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MqttSession.class);
  private static final int MAX_IN_FLIGHT = 1000;
  private static final int DEFAULT_IN_FLIGHT = 10;

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
  private final BoundedPublisher publisher;
  private final Requester requester;
  private volatile boolean closed;
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
    this.publisher = new BoundedPublisher(this::trySend, DEFAULT_IN_FLIGHT);
    this.requester = new Requester(publisher, settings.clientId() + "-");
  }

  /** Messages that answer no pending request. Set before {@link #connect()}. */
  public void onMessage(final BiConsumer<String, Incoming> listener) {
    this.listener = listener;
  }

  /** Called after every automatic reconnection (with true). Set before {@link #connect()}. */
  public void onConnected(final Consumer<Boolean> callback) {
    this.onConnected = callback;
  }

  public String clientId() {
    return settings.clientId();
  }

  /**
   * Connects (clean start, TCP_NODELAY, automatic reconnection as configured). Fails with a {@link
   * TroupeException} of status 403 when the broker refuses the credentials, 503 when it cannot be
   * reached.
   */
  public CompletableFuture<Void> connect() {
    final MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setSocketFactory(new NoDelaySocketFactory());
    options.setAutomaticReconnect(settings.reconnect());
    options.setAutomaticReconnectDelay(1, 5);
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
              publisher.limit(
                  Math.min(MAX_IN_FLIGHT, receiveMaximum == null ? 65535 : receiveMaximum));
              log.debug("connected [client: {}, receive maximum: {}]", clientId(), receiveMaximum);
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

  private TroupeException connectFailure(final Throwable error) {
    final int code = error instanceof MqttException m ? m.getReasonCode() : -1;
    final String where = settings.host() + ":" + settings.port();
    final String why =
        error.getCause() == null || error.getCause() == error
            ? String.valueOf(error.getMessage())
            : error.getMessage() + " (" + error.getCause().getMessage() + ")";
    return switch (code) {
      case 0x85, 0x86, 0x87, 0x8C ->
          new TroupeException(
              403, "the broker at " + where + " refused the credentials (" + why + ")", error);
      default -> new TroupeException(503, "cannot connect to " + where + ": " + why, error);
    };
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
   * Publishes QoS 1 and completes on the PUBACK. A failure reason code fails it with a {@link
   * TroupeException} caused by a {@link PubackRefusal}; a publish that could not be sent (not
   * connected, closed) with status 503.
   */
  @Override
  public CompletableFuture<Void> publish(final Outgoing message) {
    return publisher.publish(message);
  }

  /** A request with fresh correlation data; see {@link Requester#request}. */
  public CompletableFuture<Incoming> request(
      final Outgoing message, final Duration timeout, final Duration grace) {
    return requester.request(message, timeout, grace);
  }

  private boolean trySend(final Outgoing message, final CompletableFuture<Void> done) {
    try {
      client.publish(
          message.topic(),
          new MqttMessage(message.payload(), 1, message.retained(), properties(message)),
          null,
          new MqttActionListener() {
            @Override
            public void onSuccess(final IMqttToken token) {
              final int[] codes = token.getReasonCodes();
              if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                done.completeExceptionally(refusal(codes[0], token.getResponseProperties()));
              } else {
                done.complete(null);
              }
            }

            @Override
            public void onFailure(final IMqttToken token, final Throwable error) {
              if (error instanceof MqttException m
                  && m.getReasonCode() >= 0x80
                  && m.getReasonCode() <= 0xA2) {
                done.completeExceptionally(
                    refusal(m.getReasonCode(), token.getResponseProperties()));
              } else {
                done.completeExceptionally(
                    new TroupeException(503, "publish failed: " + error.getMessage(), error));
              }
            }
          });
      return true;
    } catch (final MqttException e) {
      if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT && !closed) {
        return false;
      }
      done.completeExceptionally(new TroupeException(503, "publish failed: " + e.getMessage(), e));
      return true;
    }
  }

  private static MqttProperties properties(final Outgoing message) {
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
    return properties;
  }

  private static TroupeException refusal(final int code, final MqttProperties properties) {
    return PubackRefusal.toException(
        code, properties == null ? null : properties.getReasonString());
  }

  public boolean isConnected() {
    return client.isConnected();
  }

  /**
   * Disconnects with a normal DISCONNECT (the Will is not sent) and releases the client. Pending
   * requests and queued publishes fail with status 503.
   */
  @Override
  public void close() {
    closed = true;
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
    final TroupeException closedError = new TroupeException(503, "the session was closed");
    publisher.close(closedError);
    requester.failAll(closedError);
  }

  private final class Callback implements MqttCallback {
    @Override
    public void messageArrived(final String topic, final MqttMessage message) {
      final MqttProperties p = message.getProperties();
      final Map<String, String> user = new HashMap<>();
      if (p != null && p.getUserProperties() != null) {
        p.getUserProperties().forEach(u -> user.put(u.getKey(), u.getValue()));
      }
      final Incoming incoming =
          new Incoming(
              topic,
              message.getPayload(),
              Optional.ofNullable(p == null ? null : p.getResponseTopic()),
              Optional.ofNullable(p == null ? null : p.getCorrelationData()),
              user,
              p == null || p.getContentType() == null ? "" : p.getContentType());
      if (requester.complete(incoming)) {
        return;
      }
      try {
        listener.accept(topic, incoming);
      } catch (final RuntimeException e) {
        log.warn("message listener failed [client: {}, topic: {}]", clientId(), topic, e);
      }
    }

    @Override
    public void connectComplete(final boolean reconnect, final String serverURI) {
      if (reconnect) {
        log.info("reconnected [client: {}, broker: {}]", clientId(), serverURI);
        onConnected.accept(true);
      }
    }

    @Override
    public void disconnected(final MqttDisconnectResponse response) {
      if (!closed) {
        log.info(
            "disconnected [client: {}, reason: {}]",
            clientId(),
            response.getReasonString() == null
                ? String.valueOf(response.getException())
                : response.getReasonString());
      }
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
