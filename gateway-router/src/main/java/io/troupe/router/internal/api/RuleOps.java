package io.troupe.router.internal.api;

import static io.troupe.router.internal.api.ApiAnswers.changed;
import static io.troupe.router.internal.api.ApiAnswers.fail;

import io.troupe.contract.Topics;
import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.NamingMode;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.RuleUpdate;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.SetDistributionRule;
import io.troupe.router.Directive;
import io.troupe.router.Principal;
import io.troupe.router.Status;
import io.troupe.router.internal.registry.Disclosure;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.ServerEntry;
import io.troupe.router.internal.registry.Service;
import io.troupe.router.internal.requests.Tunnel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Distribution rules (R6): setting a service's rule, live, and checking a rule before a
 * registration creates a service with it. Each server of a service whose rule changed is sent a
 * {@link RuleUpdate} on its control topic, so that devices learn the rule they serve under.
 */
final class RuleOps {

  private final Registry registry;
  private final Topics topics;
  private final LongSupplier nowMs;

  RuleOps(final Registry registry, final Topics topics, final LongSupplier nowMs) {
    this.registry = registry;
    this.topics = topics;
    this.nowMs = nowMs;
  }

  /**
   * Replaces the rule of the service at {@code op.address}: its order (unspecified means
   * PRIMARY_FIRST) and its redirect (empty ends it). The naming mode is fixed at registration and
   * an unspecified anonymity keeps the current one. Takes effect on the next request. Answers 404
   * for an unknown address, 403 unless the requester owns the community or is an admin, 400 for a
   * redirect to anything but an active server of the service or a different naming mode.
   */
  ApiOutcome set(final Principal who, final SetDistributionRule op) {
    final Service service = registry.serviceAt(op.getAddress());
    if (service == null) {
      return fail(Status.NOT_FOUND, "no service at address '" + op.getAddress() + "'");
    }
    if (!who.isAdmin() && !service.community().owner().equals(who.identity())) {
      return fail(
          Status.FORBIDDEN, "only the owner of '" + service.community().name() + "' or an admin");
    }
    final DistributionRule rule = op.getRule();
    if (rule.getNaming() != NamingMode.NAMING_MODE_UNSPECIFIED
        && rule.getNaming() != service.rule().getNaming()) {
      return fail(
          Status.BAD_REQUEST,
          "the naming mode is fixed at registration: '"
              + service.address()
              + "' uses "
              + service.rule().getNaming());
    }
    final Optional<String> invalid = invalid(rule, service);
    if (invalid.isPresent()) {
      return fail(Status.BAD_REQUEST, invalid.get());
    }
    final DistributionRule.Builder next = rule.toBuilder().setNaming(service.rule().getNaming());
    if (next.getOrder() == RequestOrder.REQUEST_ORDER_UNSPECIFIED) {
      next.setOrder(RequestOrder.PRIMARY_FIRST);
    }
    if (next.getAnonymity() == Anonymity.ANONYMITY_UNSPECIFIED) {
      next.setAnonymity(service.rule().getAnonymity());
    }
    final DistributionRule updated = next.build();
    if (updated.equals(service.rule())) {
      return ApiAnswers.ok(Status.OK, null);
    }
    service.changeRule(updated);
    final List<Directive> told = new ArrayList<>();
    for (final ServerEntry e : service.servers().values()) {
      told.add(
          new Directive.SendControl(
              e.device(), topics.deviceControl(e.device()), control(service, e.device())));
    }
    return changed(ApiAnswers.response(Status.OK, null), List.of(service), told);
  }

  /**
   * The control that tells {@code device} the rule of {@code service}, as members may see it: a
   * redirect to a server hidden from the others names its pseudonym.
   */
  private Control control(final Service service, final String device) {
    return Tunnel.control(service, nowMs.getAsLong())
        .setRule(RuleUpdate.newBuilder().setRule(Disclosure.ruleForMembers(service)))
        .build();
  }

  /**
   * What is wrong with {@code rule} for {@code service}: an unknown order, or a redirect to a
   * device that is not an active server of it.
   */
  static Optional<String> invalid(final DistributionRule rule, final Service service) {
    if (rule.getOrder() == RequestOrder.UNRECOGNIZED) {
      return Optional.of("unknown request order " + rule.getOrderValue());
    }
    final String to = rule.getRedirectTo();
    if (to.isEmpty()) {
      return Optional.empty();
    }
    final ServerEntry entry = service.servers().get(to);
    if (entry == null) {
      return Optional.of(
          "a redirect must name a server of '" + service.address() + "'; '" + to + "' is not one");
    }
    return entry.role() == ServerRole.PASSIVE
        ? Optional.of("a redirect cannot name the passive server '" + to + "'")
        : Optional.empty();
  }
}
