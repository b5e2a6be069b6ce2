package io.troupe.agent.api;

import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.ServiceDescriptor;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway last told the device on its control topic of the services it has registered in
 * one community, besides their roles: each one's distribution rule (R6) and the newest descriptor
 * to synchronise to (R4). Controls of services not registered are not ours and are ignored.
 */
final class ToldByGateway {

  // the membership's logger, as before this class was split from it
  private static final Logger log = LoggerFactory.getLogger(Membership.class);

  private final String deviceId;
  private final Predicate<String> registered;
  private final Map<String, DistributionRule> rules = new ConcurrentHashMap<>();
  private final Map<String, ServiceDescriptor> newest = new ConcurrentHashMap<>();

  ToldByGateway(final String deviceId, final Predicate<String> registered) {
    this.deviceId = deviceId;
    this.registered = registered;
  }

  /** The gateway changed the rule of one of this device's services; true when it was ours. */
  boolean applyRule(final Control control) {
    if (!control.hasRule() || !registered.test(control.getService())) {
      return false;
    }
    rules.put(control.getService(), control.getRule().getRule());
    log.info(
        "rule of {} is now {} [device: {}]",
        control.getAddress(),
        control.getRule().getRule().getOrder(),
        deviceId);
    return true;
  }

  /** The rule the gateway last told of {@code service}, if it told one since this agent started. */
  Optional<DistributionRule> rule(final String service) {
    return Optional.ofNullable(rules.get(service));
  }

  /** The gateway told a server of one of this device's services to sync; true when it was ours. */
  boolean applySync(final Control control) {
    if (!control.hasSync() || !registered.test(control.getService())) {
      return false;
    }
    newest.put(control.getService(), control.getSync().getNewest());
    log.info(
        "{} has a newer descriptor, version {}, at {} [device: {}]",
        control.getAddress(),
        control.getSync().getNewest().getVersion(),
        control.getSync().getSourcesList(),
        deviceId);
    return true;
  }

  /** The newest descriptor the gateway told of {@code service}, if it told one. */
  Optional<ServiceDescriptor> newest(final String service) {
    return Optional.ofNullable(newest.get(service));
  }
}
