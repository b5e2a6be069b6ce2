package io.troupe.router.internal.api;

import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.PolicyList;
import io.troupe.proto.v1.PolicyScope;
import io.troupe.proto.v1.UsageReport;
import io.troupe.router.Names;
import io.troupe.router.Principal;
import io.troupe.router.StateChange;
import io.troupe.router.StateChange.PolicyKey;
import io.troupe.router.StateStore;
import io.troupe.router.Status;
import io.troupe.router.internal.devices.Connections;
import io.troupe.router.internal.locks.RouterLocks;
import io.troupe.router.internal.policy.AccessPolicies;
import io.troupe.router.internal.policy.PolicyBook;
import io.troupe.router.internal.registry.Registry;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's access-policy operations (R12): {@code SetAccessPolicy} replaces the whole policy of
 * one scope and target, {@code ClearAccessPolicy} removes it, {@code ShowPolicies} lists what the
 * requester may see, {@code ShowUsage} tells a consumer what it has used (an admin, anyone's). A
 * change is written to the store before it is put in force; one that cannot be written changes
 * nothing and answers 500. The next request meets the new policy, with no reconnect.
 */
public final class PolicyOps {

  private static final Logger log = LoggerFactory.getLogger(PolicyOps.class);

  /** A window longer than a year is surely a mistake. */
  private static final long MAX_WINDOW_SECONDS = 366L * 24 * 3600;

  private final Registry registry;
  private final AccessPolicies policies;
  private final PolicyAuthority authority;
  private final Connections connections;
  private final StateStore store;
  private final Clock clock;
  private final RouterLocks locks;

  public PolicyOps(
      final Registry registry,
      final AccessPolicies policies,
      final Connections connections,
      final StateStore store,
      final Clock clock,
      final RouterLocks locks) {
    this.registry = registry;
    this.policies = policies;
    this.authority = new PolicyAuthority(registry);
    this.connections = connections;
    this.store = store;
    this.clock = clock;
    this.locks = locks;
  }

  /** Whether {@code request} is one of these operations. */
  static boolean handles(final GatewayRequest request) {
    return switch (request.getOperationCase()) {
      case SET_ACCESS_POLICY, CLEAR_ACCESS_POLICY, SHOW_POLICIES, SHOW_USAGE -> true;
      default -> false;
    };
  }

  /** Handles {@code request}; called holding neither of the router's locks. */
  GatewayResponse handle(final Principal who, final GatewayRequest request) {
    return switch (request.getOperationCase()) {
      case SET_ACCESS_POLICY -> set(who, request.getSetAccessPolicy().getPolicy());
      case CLEAR_ACCESS_POLICY ->
          clear(
              who,
              key(
                  request.getClearAccessPolicy().getScope(),
                  request.getClearAccessPolicy().getTarget()));
      case SHOW_POLICIES ->
          locks.routing(
              () -> {
                return show(who, request.getShowPolicies().getScope(), request.getShowPolicies());
              });
      case SHOW_USAGE -> locks.routing(() -> usage(who, request.getShowUsage().getIdentity()));
      default -> throw new IllegalArgumentException("not a policy operation: " + request);
    };
  }

  private GatewayResponse set(final Principal who, final AccessPolicy asked) {
    final Optional<String> bad = invalid(asked);
    if (bad.isPresent()) {
      return ApiAnswers.failure(Status.BAD_REQUEST, bad.get());
    }
    final AccessPolicy policy =
        asked.toBuilder().setTarget(Names.normalize(asked.getTarget())).build();
    final PolicyKey key = PolicyKey.of(policy);
    return change(
        who,
        key,
        book -> book.with(policy),
        StateChange.builder().putPolicy(policy).build(),
        PolicyList.newBuilder().addPolicies(policy).build());
  }

  private GatewayResponse clear(final Principal who, final PolicyKey key) {
    if (key.scope() == PolicyScope.POLICY_SCOPE_UNSPECIFIED
        || key.scope() == PolicyScope.UNRECOGNIZED) {
      return ApiAnswers.failure(
          Status.BAD_REQUEST, "a policy's scope is GATEWAY, COMMUNITY, SERVICE or SERVER");
    }
    final boolean exists = locks.routing(() -> policies.book().get(key).isPresent());
    if (!exists) {
      return ApiAnswers.failure(
          Status.NOT_FOUND, "no policy for " + key.scope() + " '" + key.target() + "'");
    }
    return change(
        who,
        key,
        book -> book.without(key),
        StateChange.builder().removePolicy(key).build(),
        PolicyList.getDefaultInstance());
  }

  /**
   * Checks {@code who}'s authority over {@code key}, writes {@code change} and then puts {@code
   * next} of the book in force, all under the change lock so that policy changes apply in order.
   */
  private GatewayResponse change(
      final Principal who,
      final PolicyKey key,
      final java.util.function.UnaryOperator<PolicyBook> next,
      final StateChange change,
      final PolicyList answer) {
    return locks.changes(
        () -> {
          final Optional<PolicyAuthority.Refusal> refused =
              locks.routing(() -> authority.mayChange(who, key));
          if (refused.isPresent()) {
            return ApiAnswers.failure(refused.get().status(), refused.get().reason());
          }
          try {
            store.write(change);
          } catch (final StateStore.StateStoreException e) {
            log.error("could not save an access policy; nothing changed [policy: {}]", key, e);
            return ApiAnswers.failure(
                Status.INTERNAL_ERROR, "the gateway could not save the change");
          }
          locks.routing(() -> policies.replace(next.apply(policies.book())));
          log.info(
              "access policy changed [by: {}, scope: {}, target: {}]",
              who.identity(),
              key.scope(),
              key.target());
          return GatewayResponse.newBuilder()
              .setStatus(Status.OK.code())
              .setPolicies(answer)
              .build();
        });
  }

  private GatewayResponse show(
      final Principal who, final PolicyScope scope, final io.troupe.proto.v1.ShowPolicies asked) {
    final PolicyList.Builder list = PolicyList.newBuilder();
    final String target = Names.normalize(asked.getTarget());
    for (final AccessPolicy p : policies.book().all()) {
      final PolicyKey key = PolicyKey.of(p);
      final boolean wanted =
          scope == PolicyScope.POLICY_SCOPE_UNSPECIFIED
              || (scope == key.scope() && target.equals(key.target()));
      if (wanted && authority.maySee(who, key)) {
        list.addPolicies(p);
      }
    }
    return GatewayResponse.newBuilder().setStatus(Status.OK.code()).setPolicies(list).build();
  }

  private GatewayResponse usage(final Principal who, final String asked) {
    final String identity = asked.isEmpty() ? who.identity() : asked;
    if (!identity.equals(who.identity()) && !who.isAdmin()) {
      return ApiAnswers.failure(
          Status.FORBIDDEN, "only an admin may see the usage of another identity");
    }
    if (!registry.identities().containsKey(identity)) {
      return ApiAnswers.failure(Status.NOT_FOUND, "no identity '" + identity + "'");
    }
    final int sessions = connections.clientsOf(identity).size();
    return GatewayResponse.newBuilder()
        .setStatus(Status.OK.code())
        .setUsage(
            UsageReport.newBuilder()
                .setIdentity(identity)
                .addAllRows(policies.usage(identity, sessions, clock.millis())))
        .build();
  }

  /** Why {@code p} is not a policy that may be set; empty when it is. */
  static Optional<String> invalid(final AccessPolicy p) {
    if (p.getScope() == PolicyScope.POLICY_SCOPE_UNSPECIFIED
        || p.getScope() == PolicyScope.UNRECOGNIZED) {
      return Optional.of("a policy's scope is GATEWAY, COMMUNITY, SERVICE or SERVER");
    }
    final double ratio = p.getMaxTransferRatio();
    if (Double.isNaN(ratio) || Double.isInfinite(ratio) || ratio < 0) {
      return Optional.of("max_transfer_ratio must be a finite number at least 0, got " + ratio);
    }
    if ((p.getQuotaBytes() > 0 || ratio > 0) && p.getQuotaWindowSeconds() == 0) {
      return Optional.of("a quota or a transfer ratio needs quota_window_seconds above 0");
    }
    if (p.getQuotaWindowSeconds() > MAX_WINDOW_SECONDS) {
      return Optional.of(
          "quota_window_seconds must be at most "
              + MAX_WINDOW_SECONDS
              + " (366 days), got "
              + p.getQuotaWindowSeconds());
    }
    if (p.getQuotaBytes() < 0 || p.getBandwidthBytesPerSecond() < 0 || p.getMaxConnections() < 0) {
      return Optional.of("a limit must be below 2^63");
    }
    return Optional.empty();
  }

  private static PolicyKey key(final PolicyScope scope, final String target) {
    return new PolicyKey(scope, Names.normalize(target));
  }
}
