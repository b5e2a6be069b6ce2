package io.troupe.agent.api;

import io.troupe.agent.internal.Calls;
import io.troupe.agent.internal.GatewayApiClient;
import io.troupe.agent.internal.MqttSession;
import io.troupe.contract.Names;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls Troupe services with plain MQTT 5 request/response, and the gateway's API. Requests go to
 * {@code {root}/s/{address}}; answers arrive in this client's own namespace {@code
 * {root}/r/{clientId}/} and are matched by correlation data, so any number of calls may be in
 * flight at once. The client reconnects on its own after a lost connection.
 *
 * <pre>{@code
 * try (TroupeConsumer c = TroupeConsumer.builder().user("alice").password(pw).build()) {
 *   c.connectBlocking();
 *   CallResult r = c.callBlocking("echo.demo", "hello".getBytes(UTF_8), CallOptions.defaults());
 *   // r.status() == 200, r.server() == Optional[dev1], r.text() == "hello"
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class TroupeConsumer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TroupeConsumer.class);

  private final Topics topics;
  private final MqttSession session;
  private final GatewayApiClient api;
  private final AccessPolicies policies;

  private TroupeConsumer(final Builder b) {
    this.topics = Topics.withRoot(b.topicRoot);
    this.session = new MqttSession(b.session(b.clientId, b.user));
    this.api = new GatewayApiClient(session, topics, b.apiTimeout);
    this.policies = new AccessPolicies(api::call);
  }

  /** A builder; user and password are required. */
  public static @NotNull Builder builder() {
    return new Builder();
  }

  /**
   * Connects and subscribes to this client's response namespace. Fails with a {@link
   * TroupeException}: 403 when the broker refuses the credentials or the subscription, 503 when it
   * cannot be reached.
   */
  public @NotNull CompletableFuture<Void> connect() {
    session.onReconnected(
        () ->
            session
                .subscribe(topics.responseFilter(session.clientId()))
                .exceptionally(
                    e -> {
                      log.warn("could not resubscribe [client: {}]: {}", clientId(), e.toString());
                      return null;
                    }));
    return session
        .connect()
        .thenCompose(ok -> session.subscribe(topics.responseFilter(session.clientId())));
  }

  /**
   * {@link #connect()}, waiting.
   *
   * @throws TroupeException what {@link #connect()} fails with
   */
  public void connectBlocking() {
    GatewayApiClient.await(connect());
  }

  /**
   * Calls {@code address} with {@code body}. Completes with the answer whatever its status: a 404,
   * 429, 503 or 504 from the gateway, or a server's own 500, is an answer too ({@link
   * CallResult#status()}, {@link CallResult#reason()}). Fails with a {@link TroupeException} when
   * the broker refused the request in its PUBACK and no answer followed (status from the PUBACK's
   * reason: 403, 404, 429…), with 504 caused by a {@link java.util.concurrent.TimeoutException}
   * when nothing came within the timeout (plus half a second for the gateway's own 504), with 503
   * when the request could not be sent.
   *
   * @throws IllegalArgumentException if {@code address} is not a service address such as {@code
   *     echo.demo}
   */
  public @NotNull CompletableFuture<CallResult> call(
      final @NotNull String address,
      final byte @NotNull [] body,
      final @NotNull CallOptions options) {
    return Calls.call(session, topics, session.clientId(), address, body, options);
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

  /**
   * Calls the gateway's API (answered in this client's namespace). Completes with the response when
   * its status is 2xx; fails with a {@link TroupeException} carrying the gateway's status and
   * reason otherwise, 504 when it does not answer within the API timeout.
   */
  public @NotNull CompletableFuture<GatewayResponse> gatewayApi(
      final @NotNull GatewayRequest request) {
    return api.call(Objects.requireNonNull(request, "request"));
  }

  /** Keys and invitations (R14) through this client. */
  public @NotNull TroupeKeys keys() {
    return new TroupeKeys(this);
  }

  /**
   * The gateway's access policies and this identity's usage of them, asked as this client's
   * identity: {@code policies().usage()} says what it has used and what is left.
   */
  public @NotNull AccessPolicies policies() {
    return policies;
  }

  /** This client's MQTT client id, which names its response namespace. */
  public @NotNull String clientId() {
    return session.clientId();
  }

  /** Disconnects cleanly; calls still waiting fail with status 503. Never throws. */
  @Override
  public void close() {
    session.close();
  }

  /**
   * Settings of a consumer. User and password are required; the connection settings are {@link
   * TroupeClientBuilder}'s.
   */
  public static final class Builder extends TroupeClientBuilder<Builder> {
    private String clientId = String.format("troupe-%08x", ThreadLocalRandom.current().nextInt());
    private String user;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * The MQTT client id; a random {@code troupe-xxxxxxxx} by default. It must hold no '/', '+' or
     * '#': it names the response namespace.
     */
    public @NotNull Builder clientId(final @NotNull String value) {
      if (!Names.isTopicLevel(value)) {
        throw new IllegalArgumentException(
            "client id must not be empty nor hold '/', '+', '#': '" + value + "'");
      }
      clientId = value;
      return this;
    }

    /**
     * Log in with an invitation ({@code troupe://HOST/i/TOKEN} or its token) as the only credential
     * (R14): a session that may do nothing but redeem it ({@link TroupeKeys#redeem}).
     */
    public @NotNull Builder invitation(final @NotNull String urlOrToken) {
      user = io.troupe.contract.Invitations.INVITEE_USER;
      return password(urlOrToken);
    }

    /** The identity to log in as. */
    public @NotNull Builder user(final @NotNull String value) {
      user = Objects.requireNonNull(value, "user");
      return this;
    }

    /**
     * The consumer, not yet connected: call {@link TroupeConsumer#connect()}.
     *
     * @throws IllegalStateException if user, or both password and key, are missing
     */
    public @NotNull TroupeConsumer build() {
      if (user == null || !hasSecret()) {
        throw new IllegalStateException("user and password (or key) are required");
      }
      return new TroupeConsumer(this);
    }
  }
}
