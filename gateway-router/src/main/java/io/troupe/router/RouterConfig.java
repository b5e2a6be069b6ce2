package io.troupe.router;

import com.google.common.base.Preconditions;
import io.troupe.contract.Topics;
import java.time.Duration;
import java.util.Objects;

/**
 * The router's settings.
 *
 * @param topics the topic contract under the configured root
 * @param forwardTimeout how long one server has to answer before the request goes to the next
 * @param defaultDeadline the consumer's deadline when its request sets no message expiry
 * @param statusTimeout a server with no status for this long is offline
 * @param maxPayloadBytes requests (body and user properties), replies, statuses and descriptors
 *     larger than this are refused
 * @param limits how much state one identity may take
 * @param statusLimits how large the lists inside one status may be
 * @param inFlight how long requests may wait for an answer, and how many may wait at once
 * @param clientIds how long client ids may be and how many are bound, per identity and in all
 * @param keys how many keys (R14) there may be, how long valid and how often used
 * @param usage how many consumers' usage of the access policies is metered, per identity and in all
 * @param volunteers how many requests are held for a volunteer (R16), per service and per identity,
 *     and how long an asked volunteer has to come
 */
public record RouterConfig(
    Topics topics,
    Duration forwardTimeout,
    Duration defaultDeadline,
    Duration statusTimeout,
    int maxPayloadBytes,
    Limits limits,
    StatusLimits statusLimits,
    InFlightLimits inFlight,
    ClientIdLimits clientIds,
    KeyLimits keys,
    UsageLimits usage,
    VolunteerLimits volunteers) {

  public RouterConfig {
    Objects.requireNonNull(volunteers, "volunteers");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(statusLimits, "statusLimits");
    Objects.requireNonNull(inFlight, "inFlight");
    Objects.requireNonNull(clientIds, "clientIds");
    Objects.requireNonNull(usage, "usage");
    requirePositive(forwardTimeout, "forwardTimeout");
    requirePositive(defaultDeadline, "defaultDeadline");
    requirePositive(statusTimeout, "statusTimeout");
    Preconditions.checkArgument(maxPayloadBytes > 0, "maxPayloadBytes must be positive");
  }

  /** With the default {@link StatusLimits}, {@link InFlightLimits} and {@link ClientIdLimits}. */
  public RouterConfig(
      final Topics topics,
      final Duration forwardTimeout,
      final Duration defaultDeadline,
      final Duration statusTimeout,
      final int maxPayloadBytes,
      final Limits limits) {
    this(
        topics,
        forwardTimeout,
        defaultDeadline,
        statusTimeout,
        maxPayloadBytes,
        limits,
        StatusLimits.defaults(),
        InFlightLimits.defaults(),
        ClientIdLimits.defaults(),
        KeyLimits.defaults(),
        UsageLimits.defaults(),
        VolunteerLimits.defaults());
  }

  /** With the default {@link UsageLimits}. */
  public RouterConfig(
      final Topics topics,
      final Duration forwardTimeout,
      final Duration defaultDeadline,
      final Duration statusTimeout,
      final int maxPayloadBytes,
      final Limits limits,
      final StatusLimits statusLimits,
      final InFlightLimits inFlight,
      final ClientIdLimits clientIds) {
    this(
        topics,
        forwardTimeout,
        defaultDeadline,
        statusTimeout,
        maxPayloadBytes,
        limits,
        statusLimits,
        inFlight,
        clientIds,
        KeyLimits.defaults(),
        UsageLimits.defaults(),
        VolunteerLimits.defaults());
  }

  /** With the default {@link Limits} and the defaults above. */
  public RouterConfig(
      final Topics topics,
      final Duration forwardTimeout,
      final Duration defaultDeadline,
      final Duration statusTimeout,
      final int maxPayloadBytes) {
    this(
        topics, forwardTimeout, defaultDeadline, statusTimeout, maxPayloadBytes, Limits.defaults());
  }

  /** The defaults of the shipped {@code conf/config.xml}. */
  public static RouterConfig defaults() {
    return new RouterConfig(
        Topics.withDefaultRoot(),
        Duration.ofSeconds(3),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        1024 * 1024);
  }

  public RouterConfig withForwardTimeout(final Duration value) {
    return new RouterConfig(
        topics,
        value,
        defaultDeadline,
        statusTimeout,
        maxPayloadBytes,
        limits,
        statusLimits,
        inFlight,
        clientIds,
        keys,
        usage,
        volunteers);
  }

  public RouterConfig withDefaultDeadline(final Duration value) {
    return new RouterConfig(
        topics,
        forwardTimeout,
        value,
        statusTimeout,
        maxPayloadBytes,
        limits,
        statusLimits,
        inFlight,
        clientIds,
        keys,
        usage,
        volunteers);
  }

  public RouterConfig withStatusTimeout(final Duration value) {
    return new RouterConfig(
        topics,
        forwardTimeout,
        defaultDeadline,
        value,
        maxPayloadBytes,
        limits,
        statusLimits,
        inFlight,
        clientIds,
        keys,
        usage,
        volunteers);
  }

  public RouterConfig withMaxPayloadBytes(final int value) {
    return new RouterConfig(
        topics,
        forwardTimeout,
        defaultDeadline,
        statusTimeout,
        value,
        limits,
        statusLimits,
        inFlight,
        clientIds,
        keys,
        usage,
        volunteers);
  }

  public RouterConfig withLimits(final Limits value) {
    return new RouterConfig(
        topics,
        forwardTimeout,
        defaultDeadline,
        statusTimeout,
        maxPayloadBytes,
        value,
        statusLimits,
        inFlight,
        clientIds,
        keys,
        usage,
        volunteers);
  }

  public RouterConfig withStatusLimits(final StatusLimits value) {
    return new RouterConfig(
        topics,
        forwardTimeout,
        defaultDeadline,
        statusTimeout,
        maxPayloadBytes,
        limits,
        value,
        inFlight,
        clientIds,
        keys,
        usage,
        volunteers);
  }

  public RouterConfig withInFlight(final InFlightLimits value) {
    return new RouterConfig(
        topics,
        forwardTimeout,
        defaultDeadline,
        statusTimeout,
        maxPayloadBytes,
        limits,
        statusLimits,
        value,
        clientIds,
        keys,
        usage,
        volunteers);
  }

  public RouterConfig withClientIds(final ClientIdLimits value) {
    return new RouterConfig(
        topics,
        forwardTimeout,
        defaultDeadline,
        statusTimeout,
        maxPayloadBytes,
        limits,
        statusLimits,
        inFlight,
        value,
        keys,
        usage,
        volunteers);
  }

  public RouterConfig withKeys(final KeyLimits value) {
    return new RouterConfig(
        topics,
        forwardTimeout,
        defaultDeadline,
        statusTimeout,
        maxPayloadBytes,
        limits,
        statusLimits,
        inFlight,
        clientIds,
        value,
        usage,
        volunteers);
  }

  public RouterConfig withUsage(final UsageLimits value) {
    return new RouterConfig(
        topics,
        forwardTimeout,
        defaultDeadline,
        statusTimeout,
        maxPayloadBytes,
        limits,
        statusLimits,
        inFlight,
        clientIds,
        keys,
        value,
        volunteers);
  }

  public RouterConfig withVolunteers(final VolunteerLimits value) {
    return new RouterConfig(
        topics,
        forwardTimeout,
        defaultDeadline,
        statusTimeout,
        maxPayloadBytes,
        limits,
        statusLimits,
        inFlight,
        clientIds,
        keys,
        usage,
        value);
  }

  private static void requirePositive(final Duration value, final String name) {
    Objects.requireNonNull(value, name);
    Preconditions.checkArgument(
        !value.isNegative() && !value.isZero(), "%s must be positive: %s", name, value);
  }
}
