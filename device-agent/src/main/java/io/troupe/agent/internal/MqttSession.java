package io.troupe.agent.internal;

import io.troupe.agent.api.TroupeException;
import io.troupe.agent.mqtt.BoundedPublisher;
import io.troupe.agent.mqtt.KeyAuthSocketFactory;
import io.troupe.agent.mqtt.NoDelaySocketFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one class that speaks Paho: Paho tokens become futures and PUBACK failure codes {@link
 * TroupeException}s. Publishes go through a {@link BoundedPublisher} sized to the broker's receive
 * maximum (so Paho's "too many publishes in progress", 32202, is waited out, not fatal), requests
 * through a {@link Requester}. A lost connection is brought back by a {@link Reconnector}, not by
 * Paho's slow automatic reconnection. No Will is ever set: the gateway marks a device offline
 * itself, and checks a Will like a publish, which a device could not pass before it has joined.
 */
public final class MqttSession implements Publisher, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MqttSession.class);
  private static final int MAX_IN_FLIGHT = 1000;
  private static final int DEFAULT_IN_FLIGHT = 10;

  /** MQTT 5's DISCONNECT reason: another connection with the same client id took the session. */
  static final int SESSION_TAKEN_OVER = 0x8E;

  /** What to connect to and as whom; {@code reconnect} brings a lost connection back. */
  public record Settings(
      String host,
      int port,
      String clientId,
      Optional<String> user,
      Optional<byte[]> password,
      boolean reconnect,
      Optional<KeyLogin> keyLogin,
      Optional<javax.net.SocketFactory> tls) {

    /** As above, logging in by password over plain TCP. */
    public Settings(
        final String host,
        final int port,
        final String clientId,
        final Optional<String> user,
        final Optional<byte[]> password,
        final boolean reconnect) {
      this(host, port, clientId, user, password, reconnect, Optional.empty(), Optional.empty());
    }

    /** The sockets to connect with: TLS when asked, TCP_NODELAY either way. */
    javax.net.SocketFactory sockets() {
      return tls.orElseGet(NoDelaySocketFactory::new);
    }
  }

  /**
   * A login by the identity's key over MQTT 5 enhanced authentication, with the machine's key pair
   * when {@code machine} is present ({@link KeyAuthSocketFactory}).
   */
  public record KeyLogin(String key, Optional<java.security.KeyPair> machine) {}

  private final Settings settings;
  private final MqttAsyncClient client;
  private final BoundedPublisher<Outgoing> publisher;
  private final Requester requester;
  private final Reconnector reconnector;
  private volatile boolean closed;
  private volatile boolean everConnected;
  private volatile BiConsumer<String, Incoming> listener = (t, m) -> {};
  private volatile Runnable onReconnected = () -> {};
  private volatile Runnable onTakenOver = () -> {};

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
    this.publisher = new BoundedPublisher<>(this::trySend, DEFAULT_IN_FLIGHT);
    this.requester = new Requester(publisher::publish, settings.clientId() + "-");
    this.reconnector =
        new Reconnector(
            settings.clientId(), this::connectOnce, () -> onReconnected.run(), Backoff.standard());
  }

  /** Messages that answer no pending request. Set before {@link #connect()}. */
  public void onMessage(final BiConsumer<String, Incoming> listener) {
    this.listener = listener;
  }

  /**
   * Called once the session is connected again after a lost connection (on a thread of its own,
   * never Paho's): subscriptions are gone (clean start), so the owner renews them. Set before
   * {@link #connect()}.
   */
  public void onReconnected(final Runnable callback) {
    this.onReconnected = callback;
  }

  /**
   * Called (on Paho's thread: return quickly) when the broker ends the session because another
   * connection with the same client id took it over; the session then does not reconnect, which
   * would only take it back and start a loop of take-overs. Set before {@link #connect()}.
   */
  public void onTakenOver(final Runnable callback) {
    this.onTakenOver = callback;
  }

  public String clientId() {
    return settings.clientId();
  }

  /**
   * Connects (clean start, TCP_NODELAY); when the settings ask, a connection lost afterwards is
   * attempted again after 100-250 ms, then doubling to at most 1 s, until it is back or the session
   * closes. Fails with a {@link TroupeException} of status 403 when the broker refuses the
   * credentials, 503 when it cannot be reached; a failed first connect is not attempted again.
   */
  public CompletableFuture<Void> connect() {
    return connectOnce().thenRun(() -> everConnected = true);
  }

  private CompletableFuture<Void> connectOnce() {
    final MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setSocketFactory(settings.sockets());
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(10);
    options.setKeepAliveInterval(30);
    settings.user().ifPresent(options::setUserName);
    if (settings.keyLogin().isPresent()) {
      final KeyLogin login = settings.keyLogin().get();
      // a fresh client nonce for each attempt, reconnects included
      KeyAuthSocketFactory.of(
              settings.sockets(),
              settings.user().orElseThrow(),
              settings.clientId(),
              login.key(),
              login.machine())
          .applyTo(options);
    } else {
      settings.password().ifPresent(options::setPassword);
    }
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final String where = settings.host() + ":" + settings.port();
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
              done.completeExceptionally(PahoMessages.connectFailure(where, error));
            }
          });
    } catch (final MqttException e) {
      done.completeExceptionally(PahoMessages.connectFailure(where, e));
    }
    return done;
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
              PahoMessages.subscriptionRefusal(token.getReasonCodes(), filters)
                  .ifPresentOrElse(done::completeExceptionally, () -> done.complete(null));
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
          PahoMessages.toPaho(message),
          null,
          new MqttActionListener() {
            @Override
            public void onSuccess(final IMqttToken token) {
              final int[] codes = token.getReasonCodes();
              if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                done.completeExceptionally(
                    PahoMessages.refusal(codes[0], token.getResponseProperties()));
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
                    PahoMessages.refusal(m.getReasonCode(), token.getResponseProperties()));
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

  public boolean isConnected() {
    return client.isConnected();
  }

  /**
   * Stops reconnecting, disconnects with a normal DISCONNECT and releases the client. Pending
   * requests and queued publishes fail with status 503.
   */
  @Override
  public void close() {
    closed = true;
    reconnector.close();
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
      final Incoming incoming = PahoMessages.fromPaho(topic, message);
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
    public void connectComplete(final boolean reconnect, final String serverURI) {}

    @Override
    public void disconnected(final MqttDisconnectResponse response) {
      if (closed) {
        return;
      }
      if (response.getReturnCode() == SESSION_TAKEN_OVER) {
        log.warn(
            "another connection with client id {} took this session over at {}:{}; not"
                + " reconnecting",
            clientId(),
            settings.host(),
            settings.port());
        onTakenOver.run();
        return;
      }
      final Throwable cause = response.getException();
      log.info(
          "disconnected [client: {}, reason: {}]",
          clientId(),
          response.getReasonString() != null
              ? response.getReasonString()
              : cause == null ? "none given" : cause.getMessage());
      if (settings.reconnect() && everConnected) {
        reconnector.connectionLost();
      }
    }

    @Override
    public void mqttErrorOccurred(final MqttException exception) {
      // one line: a stack trace here says nothing the reason code does not
      log.warn("MQTT error [client: {}]: {}", clientId(), exception.toString());
      log.debug("MQTT error [client: {}]", clientId(), exception);
    }

    @Override
    public void deliveryComplete(final IMqttToken token) {}

    @Override
    public void authPacketArrived(final int reasonCode, final MqttProperties properties) {}
  }
}
