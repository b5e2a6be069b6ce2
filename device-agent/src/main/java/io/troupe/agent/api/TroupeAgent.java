package io.troupe.agent.api;

import io.troupe.agent.internal.Calls;
import io.troupe.agent.internal.GatewayApiClient;
import io.troupe.contract.Names;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.StatusMessage;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jetbrains.annotations.NotNull;

/**
 * A device that serves services of one or more communities through the Troupe gateway, over one
 * MQTT session. {@link #start()} connects (setting no Will: the gateway marks a device that goes
 * away OFFLINE itself), joins each community, registers every service there and publishes its
 * descriptor and the device's status; the status is then published every status interval and at
 * once on every change. Forwarded requests are answered by each service's {@link ServiceHandler} on
 * the handler executor. After a lost connection the agent reconnects within about a second (100-250
 * ms at first, jittered, doubling to 1 s), then at once subscribes, joins, registers and reports
 * its status again (harmless for the gateway).
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

  private final TroupeAgentBuilder settings;
  private final AgentRuntime runtime;

  TroupeAgent(final TroupeAgentBuilder settings) {
    this.settings = settings;
    this.runtime = new AgentRuntime(settings);
  }

  /** A builder; device id, password, community and one service at least are required. */
  public static @NotNull TroupeAgentBuilder builder() {
    return new TroupeAgentBuilder();
  }

  /**
   * Connects, warms the serving path (a synthetic request answered end to end, so that the first
   * real one is not slowed by cold code), joins and registers every service, publishes each
   * descriptor and the status, then starts the periodic status. Completes with the registrations in
   * the order the services were added (the first registrant of a service is its primary). Fails
   * with a {@link TroupeException}: 403 when the broker refuses the credentials or the gateway the
   * membership, 503 when the gateway cannot be reached, 504 when it does not answer within the API
   * timeout, or the gateway's own status (400, 404, 409…); the agent is then closed. Fails with
   * {@link IllegalStateException} when called twice.
   */
  public @NotNull CompletableFuture<List<Registration>> start() {
    return runtime.start();
  }

  /**
   * Completes, with a one-line reason, when the agent stopped because another connection with this
   * device's id took its MQTT session over: another agent for the same device, here or elsewhere.
   * The agent then closes itself without publishing an OFFLINE status (the newcomer serves as the
   * device now) and does not reconnect, as reconnecting would take the session back and the two
   * would take it from each other again and again. Never completes otherwise.
   */
  public @NotNull CompletableFuture<String> sessionTakenOver() {
    return runtime.sessionTakenOver();
  }

  /**
   * {@link #start()}, waiting.
   *
   * @throws TroupeException what {@link #start()} fails with
   */
  public @NotNull List<Registration> startBlocking() {
    return GatewayApiClient.await(start());
  }

  /**
   * This device's registrations as the gateway last said (role changes too), by service name; a
   * service served in several communities by its address ({@code name.community}) instead.
   */
  public @NotNull Map<String, Registration> registrations() {
    return runtime.communities.registrations();
  }

  /**
   * The distribution rule of {@code service} as the gateway last told this device on its control
   * topic when the rule changed (R6); empty until a change since this agent started. The listener
   * given to {@link TroupeAgentBuilder#onControl} sees the same control.
   */
  public @NotNull Optional<DistributionRule> rule(final @NotNull String service) {
    return runtime.communities.find(service).flatMap(s -> s.membership().told().rule(s.service()));
  }

  /**
   * Reports a new version of this device's descriptor of {@code service} (R4), such as the changes
   * it made while it served itself as a passive server (R17). When it is newer than the gateway's,
   * the other servers are told to synchronise from this device. Fails for a service this device
   * does not serve.
   */
  public @NotNull CompletableFuture<Void> describe(
      final @NotNull String service, final @NotNull ServiceDescriptor descriptor) {
    Objects.requireNonNull(descriptor, "descriptor");
    return runtime
        .communities
        .find(service)
        .map(s -> s.membership().describe(s.service(), descriptor))
        .orElseGet(
            () ->
                CompletableFuture.failedFuture(
                    new IllegalArgumentException("this device does not serve '" + service + "'")));
  }

  /**
   * The newest descriptor of {@code service} the gateway told this device to synchronise to (a
   * {@code sync} control, R4), with its sources in the control itself; empty if none was told.
   */
  public @NotNull Optional<ServiceDescriptor> newestDescriptor(final @NotNull String service) {
    return runtime
        .communities
        .find(service)
        .flatMap(s -> s.membership().told().newest(s.service()));
  }

  /** How many forwarded requests the handlers are working on. */
  public int requestsInProgress() {
    return runtime.server.inProgress();
  }

  /** The communities this agent joins, lower-cased, in the order given. */
  public @NotNull List<String> communities() {
    return List.copyOf(settings.communities);
  }

  /**
   * The gateway's access policies, asked as this device: the policy of its own server ({@link
   * io.troupe.proto.v1.PolicyScope#SERVER} and its device id), and, for a community it owns, that
   * community's and its services' policies.
   */
  public @NotNull AccessPolicies policies() {
    return runtime.policies;
  }

  /** The device id (also its identity and MQTT client id). */
  public @NotNull String deviceId() {
    return settings.deviceId;
  }

  /** The status this agent would publish now. */
  public @NotNull StatusMessage status() {
    return runtime.status.current();
  }

  /**
   * Says available or busy (a busy server gets no new requests); publishes the status at once.
   * Completes when the broker has it; a status that could not be published is logged, not failed,
   * and the next periodic one carries the change.
   */
  public @NotNull CompletableFuture<Void> setAvailability(final @NotNull Availability value) {
    runtime.status.availability(Objects.requireNonNull(value, "value"));
    return runtime.publishStatus();
  }

  /**
   * Replaces the device metrics the application reports (location, network type, link, battery,
   * load, components…) and publishes the status at once. The agent fills in requests in progress,
   * their limit and the device time itself, and free memory unless given here.
   */
  public @NotNull CompletableFuture<Void> setMetrics(final @NotNull Metrics value) {
    runtime.status.metrics(Objects.requireNonNull(value, "value"));
    return runtime.publishStatus();
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
    final Communities.Served s = runtime.communities.resolve(service);
    return s.membership().setServiceEnabled(s.service(), value);
  }

  /**
   * Leaves every community of this agent: the gateway drops this device from every service there.
   * The agent stops reporting status and will not rejoin on reconnection; close it when done. Fails
   * with a {@link TroupeException} when the gateway refuses.
   */
  public @NotNull CompletableFuture<Void> leave() {
    return runtime.communities.leave();
  }

  /**
   * Stops serving {@code service}: the registration is removed at the gateway and is not renewed on
   * reconnection. (Closing the agent does not deregister: the device is then merely offline.) Fails
   * with a {@link TroupeException} when the gateway refuses.
   *
   * @throws IllegalArgumentException if this agent has no such service
   */
  public @NotNull CompletableFuture<Void> deregister(final @NotNull String service) {
    final Communities.Served s = runtime.communities.resolve(service);
    return s.membership().deregister(s.service());
  }

  /**
   * Calls {@code address} as this device (R17): where the gateway told it to serve that service
   * locally ({@code install_locally} on its {@code /ctl} topic, sent when this passive server
   * called its service and no active server could answer), its own handler answers, and keeps
   * answering after the primary returns; otherwise the call goes through the gateway as {@link
   * TroupeConsumer#call} does, and fails the same ways. A local answer names this device as its
   * server; a failing handler answers 500, a late one 504.
   *
   * @throws IllegalArgumentException if {@code address} is not a service address
   */
  public @NotNull CompletableFuture<CallResult> call(
      final @NotNull String address,
      final byte @NotNull [] body,
      final @NotNull CallOptions options) {
    final String lower = Names.lowerCase(address);
    if (!Names.isAddress(lower)) {
      throw new IllegalArgumentException(
          "not a service address such as echo.demo: '" + address + "'");
    }
    return runtime
        .local
        .call(lower, body, options)
        .orElseGet(
            () ->
                Calls.call(
                    runtime.session, runtime.topics, settings.deviceId, lower, body, options));
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

  /** Whether the gateway told this device to serve {@code address} locally (R17). */
  public boolean servesLocally(final @NotNull String address) {
    return runtime.local.servesLocally(address);
  }

  /**
   * Stops serving: publishes a retained OFFLINE status (waiting up to 2 s for it), then disconnects
   * cleanly. The registrations stay at the gateway: the device is simply offline until an agent
   * with its id starts again. Requests still being handled are abandoned (the gateway fails them
   * over). Idempotent; never throws.
   */
  @Override
  public void close() {
    runtime.close();
  }

  /** A service this agent serves: in {@code community} only, or (empty) in every one. */
  record Service(
      String name,
      Optional<String> community,
      ServiceHandler handler,
      Optional<ServiceDescriptor> descriptor) {

    String key() {
      return name + "@" + community.orElse("*");
    }
  }
}
