package io.troupe.agent.api;

import io.troupe.contract.Names;
import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.ClearAccessPolicy;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.PolicyScope;
import io.troupe.proto.v1.SetAccessPolicy;
import io.troupe.proto.v1.ShowPolicies;
import io.troupe.proto.v1.ShowUsage;
import io.troupe.proto.v1.UsageReport;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jetbrains.annotations.NotNull;

/**
 * The gateway's access policies (R12) and a consumer's usage of them, asked through the gateway's
 * API as the client's own identity ({@link TroupeConsumer#policies()}).
 *
 * <p>A policy limits each consumer identity on its own: a bandwidth threshold, a data quota over a
 * rolling window, concurrent connections and a transfer ratio, a field at 0 setting no limit. It is
 * set on a scope and a target: {@link PolicyScope#GATEWAY} (no target; an admin), {@link
 * PolicyScope#COMMUNITY} (a community name) and {@link PolicyScope#SERVICE} (a service address), by
 * the community's owner or an admin, and {@link PolicyScope#SERVER} (a device id), by the device
 * itself, its community's owner or an admin.
 *
 * <pre>{@code
 * AccessPolicy fifty = AccessPolicies.policy(PolicyScope.SERVICE, "echo.demo")
 *     .setQuotaBytes(50L << 20).setQuotaWindowSeconds(86_400).build();
 * owner.policies().set(fifty).join();          // 50 MiB per consumer per 24 h
 * UsageReport mine = alice.policies().usage().join();
 * }</pre>
 *
 * <p>Every future fails with a {@link TroupeException} carrying the gateway's status: 400 for a bad
 * value (a negative ratio, a quota without a window, an unknown target) with no change made, 403
 * for someone who may not set, clear or see that policy or usage, 404 where the gateway names an
 * unknown target so, 504 when the gateway does not answer within the API timeout, 503 when the
 * client is not connected. Thread-safe.
 */
public final class AccessPolicies {

  private final Function<GatewayRequest, CompletableFuture<GatewayResponse>> api;

  AccessPolicies(final Function<GatewayRequest, CompletableFuture<GatewayResponse>> api) {
    this.api = Objects.requireNonNull(api, "api");
  }

  /**
   * A policy with no limits yet for {@code scope} and {@code target}; set the limits it should have
   * and {@link #set} it. A community name or service address is lower-cased, as the gateway holds
   * it.
   *
   * @throws IllegalArgumentException if the scope is unspecified, or {@code target} is not empty
   *     for {@link PolicyScope#GATEWAY} or empty for any other scope
   */
  public static @NotNull AccessPolicy.Builder policy(
      final @NotNull PolicyScope scope, final @NotNull String target) {
    return AccessPolicy.newBuilder().setScope(scope).setTarget(target(scope, target));
  }

  /**
   * Sets or replaces the whole policy of the policy's scope and target; applies from each
   * consumer's next request, live sessions included. Completes with the policy as the gateway now
   * holds it.
   *
   * @throws IllegalArgumentException as {@link #policy} for the policy's scope and target
   */
  public @NotNull CompletableFuture<AccessPolicy> set(final @NotNull AccessPolicy policy) {
    final AccessPolicy checked =
        policy.toBuilder().setTarget(target(policy.getScope(), policy.getTarget())).build();
    return policies(
            GatewayRequest.newBuilder()
                .setSetAccessPolicy(SetAccessPolicy.newBuilder().setPolicy(checked))
                .build())
        .thenApply(held -> held.isEmpty() ? checked : held.get(0));
  }

  /**
   * Removes the policy of {@code scope} and {@code target}: no limits there from each consumer's
   * next request. Fails with 404 when there is no such policy.
   *
   * @throws IllegalArgumentException as {@link #policy}
   */
  public @NotNull CompletableFuture<Void> clear(
      final @NotNull PolicyScope scope, final @NotNull String target) {
    return api.apply(
            GatewayRequest.newBuilder()
                .setClearAccessPolicy(
                    ClearAccessPolicy.newBuilder().setScope(scope).setTarget(target(scope, target)))
                .build())
        .thenApply(cleared -> null);
  }

  /** Every policy this identity may see (an admin: every policy). */
  public @NotNull CompletableFuture<List<AccessPolicy>> show() {
    return policies(
        GatewayRequest.newBuilder().setShowPolicies(ShowPolicies.getDefaultInstance()).build());
  }

  /**
   * The policy of {@code scope} and {@code target}, as a list of one, or empty when none is set.
   *
   * @throws IllegalArgumentException as {@link #policy}
   */
  public @NotNull CompletableFuture<List<AccessPolicy>> show(
      final @NotNull PolicyScope scope, final @NotNull String target) {
    return policies(
        GatewayRequest.newBuilder()
            .setShowPolicies(
                ShowPolicies.newBuilder().setScope(scope).setTarget(target(scope, target)))
            .build());
  }

  /**
   * What this identity has used of each limit that applies to it, and what is left: a row per
   * policy, with the bytes received and sent over the quota's window, the connections open, and
   * when the quota frees up where it is used up.
   */
  public @NotNull CompletableFuture<UsageReport> usage() {
    return usage("");
  }

  /**
   * {@link #usage()} of {@code identity}; an admin may name anyone, anyone else only itself (403).
   * Empty: this identity.
   */
  public @NotNull CompletableFuture<UsageReport> usage(final @NotNull String identity) {
    Objects.requireNonNull(identity, "identity");
    return api.apply(
            GatewayRequest.newBuilder()
                .setShowUsage(ShowUsage.newBuilder().setIdentity(identity))
                .build())
        .thenApply(GatewayResponse::getUsage);
  }

  private CompletableFuture<List<AccessPolicy>> policies(final GatewayRequest request) {
    return api.apply(request).thenApply(r -> List.copyOf(r.getPolicies().getPoliciesList()));
  }

  /** {@code target} as the gateway holds it for {@code scope}; a caller's mistake throws. */
  static String target(final PolicyScope scope, final String target) {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(target, "target");
    return switch (scope) {
      case GATEWAY -> {
        if (!target.isEmpty()) {
          throw new IllegalArgumentException(
              "a gateway policy has no target: '" + target + "' given");
        }
        yield target;
      }
      case COMMUNITY, SERVICE -> named(scope, Names.lowerCase(target));
      case SERVER -> named(scope, target);
      case POLICY_SCOPE_UNSPECIFIED, UNRECOGNIZED ->
          throw new IllegalArgumentException(
              "scope must be GATEWAY, COMMUNITY, SERVICE or SERVER: " + scope);
    };
  }

  private static String named(final PolicyScope scope, final String target) {
    if (target.isEmpty()) {
      throw new IllegalArgumentException(
          "a " + scope.name().toLowerCase(java.util.Locale.ROOT) + " policy needs a target");
    }
    return target;
  }
}
