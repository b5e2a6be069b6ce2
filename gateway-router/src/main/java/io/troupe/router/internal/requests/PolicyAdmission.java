package io.troupe.router.internal.requests;

import io.troupe.router.ConsumerRequest;
import io.troupe.router.Decision;
import io.troupe.router.Status;
import io.troupe.router.internal.policy.AccessPolicies;
import io.troupe.router.internal.policy.Charge;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.Service;
import io.troupe.router.internal.routing.PendingRequest;
import io.troupe.router.internal.routing.RoutingTally;
import io.troupe.router.internal.trust.Grants;
import java.util.Optional;

/**
 * Whether a request resolved to its service may be routed under what the gateway grants and limits:
 * the caller's grants (R14: a scoped identity calls only what its invitations name) and the access
 * policies it meets (R12). Not thread-safe: {@link RequestRouter} calls it under the routing lock.
 */
final class PolicyAdmission {

  private final Registry registry;
  private final AccessPolicies policies;
  private final RequestAnswers answers;
  private final RoutingTally tally;

  PolicyAdmission(
      final Registry registry,
      final AccessPolicies policies,
      final RequestAnswers answers,
      final RoutingTally tally) {
    this.registry = registry;
    this.policies = policies;
    this.answers = answers;
    this.tally = tally;
  }

  /** The 403 of request {@code id} when its caller's grants do not name {@code service}. */
  Optional<Decision.Answer> notGranted(
      final String id, final ConsumerRequest request, final Service service) {
    return Grants.callRefusal(
            registry.identities().get(request.principal().identity()), service.address())
        .map(reason -> answers.refuse(id, request, true, Status.FORBIDDEN, reason));
  }

  /**
   * Charges {@code p} to the meters of the access policies it meets (R12), and bars the servers
   * whose own policies it would break; the refusal when a policy refuses it. A device asking a
   * service it serves itself (synchronisation between servers) meets none.
   */
  Optional<Decision.Answer> meter(final PendingRequest p, final long now) {
    final io.troupe.router.Principal who = p.request.principal();
    if (who.isDevice() && p.service.servers().containsKey(who.identity())) {
      return Optional.empty();
    }
    final long size = p.request.size();
    final AccessPolicies.Admission admission =
        policies.admit(
            who.identity(),
            p.service.community().name(),
            p.service.address(),
            size,
            now,
            p.deadlineMs);
    if (admission.refusal().isPresent()) {
      tally.policyRefused(admission.refusal().get().kind());
      return Optional.of(
          answers.refuse(
              p.id,
              p.request,
              true,
              admission.refusal().get().status(),
              admission.refusal().get().reason()));
    }
    final Charge charge = admission.charge();
    p.charge = charge;
    if (charge != Charge.NONE && policies.book().hasServerPolicies()) {
      p.serverBar = (device, at) -> policies.serverBar(charge, device, size, at);
    }
    return Optional.empty();
  }
}
