package io.troupe.router.internal.requests;

import io.troupe.contract.Names;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.router.AccessControl;
import io.troupe.router.ConsumerRequest;
import io.troupe.router.Decision;
import io.troupe.router.RouterConfig;
import io.troupe.router.Status;
import io.troupe.router.Verdict;
import io.troupe.router.internal.routing.RoutingTally;
import java.util.Optional;

/**
 * Whether a consumer's request may be routed at all, before any server is looked at: 400 (body too
 * large, not an address), 403 (response topic outside the consumer's namespace), 429 or 503 (its
 * identity, or the gateway, holds all the requests or bytes it may have waiting). The first check
 * that fails answers the request.
 */
final class RequestAdmission {

  private final RouterConfig config;
  private final Topics topics;
  private final RequestAnswers answers;
  private final InFlightQuota quota;
  private final RoutingTally tally;

  RequestAdmission(
      final RouterConfig config,
      final RequestAnswers answers,
      final InFlightQuota quota,
      final RoutingTally tally) {
    this.config = config;
    this.topics = config.topics();
    this.answers = answers;
    this.quota = quota;
    this.tally = tally;
  }

  /** The refusal of request {@code id}, or empty when it may be routed. */
  Optional<Decision.Answer> refusal(final String id, final ConsumerRequest request) {
    final Verdict answerable =
        AccessControl.answerableAt(topics, request.principal(), request.responseTopic());
    if (!answerable.isAllowed()) {
      return Optional.of(
          answers.refuse(id, request, false, answerable.status(), answerable.reason()));
    }
    if (request.principal().role() == IdentityRole.INVITEE) {
      return Optional.of(
          answers.refuse(
              id,
              request,
              true,
              Status.FORBIDDEN,
              "a session opened with an invitation may only redeem it"));
    }
    final long size = request.size();
    if (size > config.maxPayloadBytes()) {
      return Optional.of(
          answers.refuse(
              id,
              request,
              true,
              Status.PAYLOAD_TOO_LARGE,
              "request of "
                  + size
                  + " bytes (body and user properties) exceeds the limit of "
                  + config.maxPayloadBytes()));
    }
    final Optional<InFlightQuota.Refusal> overQuota = quota.admit(request);
    if (overQuota.isPresent()) {
      tally.capped(overQuota.get().cap());
      return Optional.of(
          answers.refuse(id, request, true, overQuota.get().status(), overQuota.get().reason()));
    }
    if (!Names.isAddress(request.address())) {
      return Optional.of(
          answers.refuse(
              id,
              request,
              true,
              Status.BAD_REQUEST,
              "a service address is a dotted name of labels, got '" + request.address() + "'"));
    }
    return Optional.empty();
  }
}
