package io.troupe.router.internal.api;

import static io.troupe.router.internal.api.ApiAnswers.changed;
import static io.troupe.router.internal.api.ApiAnswers.fail;

import io.troupe.contract.Topics;
import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.NamingMode;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.RuleUpdate;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.ServiceInfo;
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
   * Sets the rule of the service at {@code op.address}. Without {@code patch} the rule given
   * replaces the whole rule: an unspecified order means PRIMARY_FIRST and an empty redirect ends
   * one. With {@code patch} only what the rule sets changes: an unspecified order, an unspecified
   * anonymity and an empty redirect keep their current values. {@code end_redirect} ends a redirect
   * either way. The naming mode is fixed at registration and an unspecified anonymity keeps the
   * current one. Takes effect on the next request. The answer carries the service with the rule now
   * held. Answers 404 for an unknown address, 403 unless the requester owns the community or is an
   * admin, 400 for a redirect to anything but an active server of the service, a redirect together
   * with {@code end_redirect}, or a different naming mode.
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
    if (op.getEndRedirect() && !rule.getRedirectTo().isEmpty()) {
      return fail(
          Status.BAD_REQUEST,
          "end_redirect ends a redirect: it cannot also redirect to '"
              + rule.getRedirectTo()
              + "'");
    }
    final Optional<String> invalid = invalid(rule, service);
    if (invalid.isPresent()) {
      return fail(Status.BAD_REQUEST, invalid.get());
    }
    final DistributionRule updated = next(service.rule(), op);
    if (updated.equals(service.rule())) {
      return new ApiOutcome(held(service), false, List.of(), List.of());
    }
    service.changeRule(updated);
    final List<Directive> told = new ArrayList<>();
    for (final ServerEntry e : service.servers().values()) {
      told.add(
          new Directive.SendControl(
              e.device(), topics.deviceControl(e.device()), control(service, e.device())));
    }
    return changed(held(service), List.of(service), told);
  }

  /** The rule {@code op} leaves in place of {@code current}; see {@link #set}. */
  static DistributionRule next(final DistributionRule current, final SetDistributionRule op) {
    final DistributionRule given = op.getRule();
    final DistributionRule.Builder next = current.toBuilder();
    if (op.getPatch()) {
      if (given.getOrder() != RequestOrder.REQUEST_ORDER_UNSPECIFIED) {
        next.setOrder(given.getOrder());
      }
      if (!given.getRedirectTo().isEmpty()) {
        next.setRedirectTo(given.getRedirectTo());
      }
    } else {
      next.setOrder(
          given.getOrder() == RequestOrder.REQUEST_ORDER_UNSPECIFIED
              ? RequestOrder.PRIMARY_FIRST
              : given.getOrder());
      next.setRedirectTo(given.getRedirectTo());
    }
    if (given.getAnonymity() != Anonymity.ANONYMITY_UNSPECIFIED) {
      next.setAnonymity(given.getAnonymity());
    }
    if (op.getEndRedirect()) {
      next.clearRedirectTo();
    }
    if (next.getOrder() == RequestOrder.REQUEST_ORDER_UNSPECIFIED) {
      next.setOrder(RequestOrder.PRIMARY_FIRST);
    }
    return next.build();
  }

  /** The answer to a rule set or kept: 200 with the service and the rule it now holds. */
  private static GatewayResponse held(final Service service) {
    return GatewayResponse.newBuilder()
        .setStatus(Status.OK.code())
        .setService(
            ServiceInfo.newBuilder()
                .setCommunity(service.community().name())
                .setService(service.name())
                .setAddress(service.address())
                .setRule(service.rule()))
        .build();
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
