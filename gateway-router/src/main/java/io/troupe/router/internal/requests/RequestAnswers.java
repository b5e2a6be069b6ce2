package io.troupe.router.internal.requests;

import com.google.protobuf.ByteString;
import io.troupe.contract.Topics;
import io.troupe.router.ConsumerRequest;
import io.troupe.router.Decision;
import io.troupe.router.Directive;
import io.troupe.router.Status;
import io.troupe.router.internal.policy.AccessPolicies;
import io.troupe.router.internal.registry.Disclosure;
import io.troupe.router.internal.routing.PendingRequest;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers a consumer gets: a server's answer or the gateway's, told as much as the service
 * discloses, and refusals of requests that could not be routed at all. A consumer that is a passive
 * server of the service is told to install it locally instead of being refused. {@link
 * RequestRouter} decides when to answer; this concludes the request and decides what the answer
 * says.
 */
final class RequestAnswers {

  /** Logged under the request router's name, where the rest of a request's story is. */
  private static final Logger log = LoggerFactory.getLogger(RequestAnswers.class);

  private final Topics topics;
  private final Clock clock;
  private final RequestsInFlight inFlight;

  /** Told of each answer's bytes, which count against the consumer's policies (R12). */
  private final AccessPolicies policies;

  /**
   * Answers on {@code topics}, at the time {@code clock} tells, to requests in {@code inFlight};
   * the bytes of each told to {@code policies}.
   */
  RequestAnswers(
      final Topics topics,
      final Clock clock,
      final RequestsInFlight inFlight,
      final AccessPolicies policies) {
    this.topics = topics;
    this.clock = clock;
    this.inFlight = inFlight;
    this.policies = policies;
  }

  /**
   * Concludes {@code p} with this answer, so that no server owes it anything any more: from {@code
   * server}, or from the gateway when it is empty.
   */
  Decision.Answer finish(
      final PendingRequest p,
      final int code,
      final String reason,
      final ByteString body,
      final String contentType,
      final Optional<String> server,
      final Map<String, String> properties) {
    inFlight.conclude(p);
    policies.concluded(p.charge, server, body.size(), clock.millis());
    final boolean byGateway = server.isEmpty();
    final List<Directive> install =
        byGateway && code >= Status.UNAVAILABLE.code()
            ? installLocally(p, clock.millis())
            : List.of();
    final String told =
        !install.isEmpty()
            ? PassiveServing.REASON
            : byGateway ? Disclosure.gatewayReason(p.service, code, reason) : reason;
    return new Decision.Answer(
        p.id,
        p.request.principal().clientId(),
        p.request.responseTopic(),
        p.request.correlationData(),
        code,
        told,
        body,
        contentType,
        p.sync != null // a member fetching content sees the source as members see servers
            ? server.map(d -> Disclosure.listed(p.service, d))
            : server.filter(d -> Disclosure.namesServer(p.service, d)),
        properties,
        Optional.empty(),
        install);
  }

  /** The {@code install_locally} control when the consumer is a passive server of the service. */
  List<Directive> installLocally(final PendingRequest p, final long nowMs) {
    if (p.onlyDevice != null || p.sync != null) {
      return List.of();
    }
    return PassiveServing.installLocally(topics, p.service, p.request.principal(), nowMs)
        .map(List::of)
        .orElse(List.of());
  }

  Decision.Answer refuse(
      final String id,
      final ConsumerRequest request,
      final boolean answerable,
      final Status status,
      final String reason) {
    return refuse(id, request, answerable, status, reason, List.of());
  }

  /** A refusal, and {@code directives} to carry out with it. */
  Decision.Answer refuse(
      final String id,
      final ConsumerRequest request,
      final boolean answerable,
      final Status status,
      final String reason,
      final List<Directive> directives) {
    log.debug(
        "refused request [client: {}, address: {}, status: {}, reason: {}]",
        request.principal().clientId(),
        request.address(),
        status.code(),
        reason);
    return new Decision.Answer(
        id,
        request.principal().clientId(),
        answerable ? request.responseTopic() : Optional.empty(),
        request.correlationData(),
        status.code(),
        reason,
        ByteString.EMPTY,
        "",
        Optional.empty(),
        Map.of(),
        Optional.of(status),
        directives);
  }
}
