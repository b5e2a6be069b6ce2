package io.troupe.agent.api;

import io.troupe.agent.internal.GatewayApiClient;
import io.troupe.agent.internal.Incoming;
import io.troupe.agent.internal.MqttSession;
import io.troupe.agent.internal.Outgoing;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.jetbrains.annotations.NotNull;

/**
 * Calls Troupe services with plain MQTT 5 request/response, and the gateway's API. Answers arrive
 * in this client's own namespace {@code {root}/r/{clientId}/}.
 *
 * <pre>{@code
 * try (TroupeConsumer c = TroupeConsumer.builder().user("alice").password(pw).build()) {
 *   c.connect().join();
 *   CallResult r = c.call("echo.demo", "hello".getBytes(), CallOptions.defaults()).join();
 * }
 * }</pre>
 */
public final class TroupeConsumer implements AutoCloseable {

  private final Topics topics;
  private final MqttSession session;
  private final GatewayApiClient api;

  private TroupeConsumer(final Builder b) {
    this.topics = Topics.withRoot(b.topicRoot);
    this.session =
        new MqttSession(
            new MqttSession.Settings(
                b.host,
                b.port,
                b.clientId,
                Optional.of(b.user),
                Optional.of(b.password.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                Optional.empty(),
                false));
    this.api = new GatewayApiClient(session, topics, b.apiTimeout);
  }

  public static @NotNull Builder builder() {
    return new Builder();
  }

  /** Connects and subscribes to this client's response namespace; 403 for refused credentials. */
  public @NotNull CompletableFuture<Void> connect() {
    return session
        .connect()
        .thenCompose(ok -> session.subscribe(topics.responseFilter(session.clientId())));
  }

  /**
   * Calls {@code address}. Completes with the answer, whatever its status (a 404 or 503 from the
   * gateway is an answer too); fails with a {@link TroupeException} when the broker refused the
   * request and no answer came (status from the PUBACK's reason), or 504 when nothing came within
   * the timeout.
   */
  public @NotNull CompletableFuture<CallResult> call(
      final @NotNull String address,
      final byte @NotNull [] body,
      final @NotNull CallOptions options) {
    final Map<String, String> properties = new HashMap<>();
    if (!options.method().isEmpty()) {
      properties.put("method", options.method());
    }
    if (!options.path().isEmpty()) {
      properties.put("path", options.path());
    }
    if (!options.session().isEmpty()) {
      properties.put("session", options.session());
    }
    final long expiry = Math.max(1, (options.timeout().toMillis() + 999) / 1000);
    final Outgoing out =
        new Outgoing(
            topics.serviceRequest(address),
            body,
            false,
            Optional.of(topics.response(session.clientId(), "call")),
            Optional.empty(),
            properties,
            options.contentType(),
            Optional.of(expiry));
    return session
        .request(out, options.timeout().plusMillis(500))
        .thenApply(TroupeConsumer::result);
  }

  /** Calls the gateway's API; fails with a {@link TroupeException} unless the status is 2xx. */
  public @NotNull CompletableFuture<GatewayResponse> gatewayApi(
      final @NotNull GatewayRequest request) {
    return api.call(request);
  }

  private static CallResult result(final Incoming m) {
    final Map<String, String> p = m.userProperties();
    int status = 200;
    try {
      status = Integer.parseInt(p.getOrDefault("status", "200"));
    } catch (final NumberFormatException e) {
      status = 502;
    }
    return new CallResult(
        status,
        Optional.ofNullable(p.get("reason")),
        Optional.ofNullable(p.get("server")),
        m.payload(),
        m.contentType());
  }

  public @NotNull String clientId() {
    return session.clientId();
  }

  @Override
  public void close() {
    session.close();
  }

  /** Settings of a consumer. User and password are required. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 1883;
    private String topicRoot = Topics.DEFAULT_ROOT;
    private String clientId =
        "troupe-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
    private String user;
    private String password;
    private Duration apiTimeout = Duration.ofSeconds(10);

    private Builder() {}

    public @NotNull Builder host(final @NotNull String value) {
      host = Objects.requireNonNull(value, "host");
      return this;
    }

    public @NotNull Builder port(final int value) {
      if (value < 1 || value > 65535) {
        throw new IllegalArgumentException("port must be 1 to 65535, got " + value);
      }
      port = value;
      return this;
    }

    public @NotNull Builder topicRoot(final @NotNull String value) {
      Topics.withRoot(value);
      topicRoot = value;
      return this;
    }

    /** The MQTT client id; a random {@code troupe-xxxxxxxx} by default. */
    public @NotNull Builder clientId(final @NotNull String value) {
      Topics.withDefaultRoot().responsePrefix(value);
      clientId = value;
      return this;
    }

    public @NotNull Builder user(final @NotNull String value) {
      user = Objects.requireNonNull(value, "user");
      return this;
    }

    public @NotNull Builder password(final @NotNull String value) {
      password = Objects.requireNonNull(value, "password");
      return this;
    }

    public @NotNull Builder apiTimeout(final @NotNull Duration value) {
      apiTimeout = Objects.requireNonNull(value, "apiTimeout");
      return this;
    }

    public @NotNull TroupeConsumer build() {
      if (user == null || password == null) {
        throw new IllegalStateException("user and password are required");
      }
      return new TroupeConsumer(this);
    }
  }
}
