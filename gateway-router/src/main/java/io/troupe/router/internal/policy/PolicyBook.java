package io.troupe.router.internal.policy;

import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.PolicyScope;
import io.troupe.router.StateChange.PolicyKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The access policies in force (R12), one per scope and target: an immutable snapshot, replaced as
 * a whole when a policy is set or cleared, so that routing reads it without a lock and a change
 * applies to the next request.
 */
public final class PolicyBook {

  public static final PolicyBook EMPTY = new PolicyBook(Map.of());

  private final Map<PolicyKey, AccessPolicy> policies;

  /** Whether any SERVER policy exists: when none does, the server choice asks nothing. */
  private final boolean anyServer;

  private PolicyBook(final Map<PolicyKey, AccessPolicy> policies) {
    this.policies = Map.copyOf(policies);
    this.anyServer = policies.keySet().stream().anyMatch(k -> k.scope() == PolicyScope.SERVER);
  }

  /** A book of {@code policies}, the later of two with the same scope and target winning. */
  public static PolicyBook of(final Collection<AccessPolicy> policies) {
    final Map<PolicyKey, AccessPolicy> byKey = new LinkedHashMap<>();
    policies.forEach(p -> byKey.put(PolicyKey.of(p), p));
    return new PolicyBook(byKey);
  }

  /** This book with {@code policy} set in place of the one of its scope and target. */
  public PolicyBook with(final AccessPolicy policy) {
    final Map<PolicyKey, AccessPolicy> next = new LinkedHashMap<>(policies);
    next.put(PolicyKey.of(policy), policy);
    return new PolicyBook(next);
  }

  /** This book without the policy of {@code key}. */
  public PolicyBook without(final PolicyKey key) {
    final Map<PolicyKey, AccessPolicy> next = new LinkedHashMap<>(policies);
    next.remove(key);
    return new PolicyBook(next);
  }

  public Optional<AccessPolicy> get(final PolicyKey key) {
    return Optional.ofNullable(policies.get(key));
  }

  public Optional<AccessPolicy> get(final PolicyScope scope, final String target) {
    return get(new PolicyKey(scope, target));
  }

  public Collection<AccessPolicy> all() {
    return policies.values();
  }

  public boolean isEmpty() {
    return policies.isEmpty();
  }

  /**
   * The policies a consumer's request to the service at {@code address} of {@code community} meets
   * before any server is chosen: the gateway's, the community's and the service's, those that
   * exist, in that order.
   */
  List<AccessPolicy> forRequest(final String community, final String address) {
    if (policies.isEmpty()) {
      return List.of();
    }
    final List<AccessPolicy> out = new ArrayList<>(3);
    get(PolicyScope.GATEWAY, "").ifPresent(out::add);
    get(PolicyScope.COMMUNITY, community).ifPresent(out::add);
    get(PolicyScope.SERVICE, address).ifPresent(out::add);
    return out;
  }

  /** The policy of server {@code device}, if it has one. */
  Optional<AccessPolicy> ofServer(final String device) {
    return anyServer ? get(PolicyScope.SERVER, device) : Optional.empty();
  }

  /** Whether any server has a policy of its own. */
  public boolean hasServerPolicies() {
    return anyServer;
  }

  boolean anyServer() {
    return anyServer;
  }

  /** How a policy's scope and target read in a refusal: "service echo.demo". */
  static String describe(final PolicyKey key) {
    return switch (key.scope()) {
      case GATEWAY -> "the gateway";
      case COMMUNITY -> "community " + key.target();
      case SERVICE -> "service " + key.target();
      case SERVER -> "server " + key.target();
      case POLICY_SCOPE_UNSPECIFIED, UNRECOGNIZED -> key.target();
    };
  }
}
