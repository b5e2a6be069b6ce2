package io.troupe.router;

import io.troupe.contract.Names;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.IdentityRole;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks logins: backoff after failures, the password (PBKDF2, or the cache of recently verified
 * credentials), the upgrade of an outdated hash, and the binding of the client id to the identity
 * ({@link ClientIds}). Hashes run on the given executor through a bounded lane, never on the
 * caller's thread; everything else is a few map look-ups. Thread-safe.
 */
public final class Logins {

  private static final Logger log = LoggerFactory.getLogger(Logins.class);
  private static final int MAX_THROTTLED_KEYS = 100_000;

  /**
   * The prefix of the client ids the gateway gives requests that arrive by another protocol than
   * MQTT (the CoAP bridge). No MQTT client may connect with such an id, so an answer addressed to
   * one never reaches an MQTT session.
   */
  public static final String BRIDGED_CLIENT_PREFIX = "~bridged-";

  private final GatewayRouter router;
  private final Clock clock;
  private final Passwords passwords;
  private final LoginThrottle throttle;
  private final CredentialCache cache;
  private final HashLane lane;

  /**
   * @param router whose identities and client-id bindings are checked
   * @param executor where password hashes run, at most {@link LoginConfig#concurrentHashes()} at a
   *     time
   */
  public Logins(
      final GatewayRouter router,
      final LoginConfig config,
      final Clock clock,
      final Executor executor) {
    this(router, config, clock, executor, Passwords.pbkdf2(config.hashIterations()));
  }

  Logins(
      final GatewayRouter router,
      final LoginConfig config,
      final Clock clock,
      final Executor executor,
      final Passwords passwords) {
    this.router = Objects.requireNonNull(router, "router");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.passwords = Objects.requireNonNull(passwords, "passwords");
    this.throttle = new LoginThrottle(config, MAX_THROTTLED_KEYS);
    this.cache = new CredentialCache(config.cacheSize(), config.cacheTtl());
    this.lane =
        new HashLane(
            Objects.requireNonNull(executor, "executor"),
            config.concurrentHashes(),
            config.queuedHashes());
  }

  /**
   * Checks {@code attempt}. Completes at once when it is refused before any hash (missing
   * credentials, a malformed client id, backoff, a full lane) or the cache knows the credential;
   * otherwise when the hash has run on the executor. See {@link LoginResult} for the refusals. The
   * future fails only if the executor rejects the work.
   */
  public CompletableFuture<LoginResult> login(final LoginAttempt attempt) {
    if (attempt.userName().isEmpty() || attempt.password().isEmpty()) {
      return done(refused(Status.UNAUTHORIZED, "a user name and password are required"));
    }
    if (!Names.isTopicLevel(attempt.clientId())) {
      return done(refused(Status.BAD_REQUEST, "a client id must not contain '/', '+' or '#'"));
    }
    if (isBridged(attempt.clientId())) {
      return done(
          refused(
              Status.BAD_REQUEST,
              "client ids starting with '" + BRIDGED_CLIENT_PREFIX + "' are the gateway's"));
    }
    final String name = attempt.userName().get();
    final long now = clock.millis();
    final Optional<Duration> wait = throttle.blocked(name, attempt.address(), now);
    if (wait.isPresent()) {
      final long seconds = (wait.get().toMillis() + 999) / 1000;
      return done(
          refused(Status.TOO_MANY_REQUESTS, "too many failed logins; retry in " + seconds + " s"));
    }
    final IdentityRecord record = router.inRegistry(r -> r.identities.get(name), x -> false);
    if (record != null && cache.matches(record, attempt.password().get(), now)) {
      return done(admit(record, attempt));
    }
    return lane.submit(() -> check(record, attempt))
        .orElseGet(() -> done(refused(Status.UNAVAILABLE, "server busy; retry later")));
  }

  /** Whether {@code clientId} is one the gateway gave a request bridged from another protocol. */
  public static boolean isBridged(final String clientId) {
    return clientId.startsWith(BRIDGED_CLIENT_PREFIX);
  }

  /**
   * The principal of a request that arrives by another protocol for {@code identity}, which that
   * protocol has authenticated: the identity's current role and the given bridged client id.
   *
   * @return empty when the identity does not exist (or no longer does)
   * @throws IllegalArgumentException when {@code clientId} is not a bridged client id
   */
  public Optional<Principal> bridged(final String identity, final String clientId) {
    if (!isBridged(clientId)) {
      throw new IllegalArgumentException("not a bridged client id: '" + clientId + "'");
    }
    final IdentityRecord record = router.inRegistry(r -> r.identities.get(identity), x -> false);
    return Optional.ofNullable(record).map(r -> new Principal(r.getName(), r.getRole(), clientId));
  }

  /** Whether {@code identity} exists. */
  public boolean exists(final String identity) {
    return router.inRegistry(r -> r.identities.containsKey(identity), x -> false);
  }

  /**
   * Whether a connection of {@code identity} with {@code clientId} may resume the session stored
   * under that id: only when the identity has used that id before. A new binding starts clean, so
   * that nobody inherits an earlier holder's subscriptions and queued messages.
   */
  public boolean mayResumeSession(final String clientId, final String identity) {
    return router.inRegistry(r -> r.clientIds.isHeldBy(clientId, identity), x -> false);
  }

  private LoginResult check(final IdentityRecord record, final LoginAttempt attempt) {
    final String name = attempt.userName().orElseThrow();
    final byte[] password = attempt.password().orElseThrow();
    final boolean ok = passwords.verify(record, password);
    final long now = clock.millis();
    if (!ok) {
      throttle.failed(name, attempt.address(), now);
      return refused(Status.UNAUTHORIZED, "bad user name or password");
    }
    throttle.succeeded(name, attempt.address());
    IdentityRecord current = record;
    if (passwords.isOutdated(record)) {
      current = upgrade(record, password);
    }
    cache.remember(current, password, now);
    return admit(current, attempt);
  }

  private IdentityRecord upgrade(final IdentityRecord record, final byte[] password) {
    final IdentityRecord upgraded = passwords.upgraded(record, password);
    final boolean replaced =
        router.inRegistry(
            r -> {
              if (!record.equals(r.identities.get(record.getName()))) {
                return false; // changed meanwhile: leave it
              }
              r.identities.put(record.getName(), upgraded);
              return true;
            },
            changed -> changed);
    if (replaced) {
      log.info(
          "upgraded a password hash [identity: {}, iterations: {} -> {}]",
          record.getName(),
          record.getIterations(),
          upgraded.getIterations());
    }
    return replaced ? upgraded : record;
  }

  private LoginResult admit(final IdentityRecord record, final LoginAttempt attempt) {
    final String clientId = attempt.clientId();
    if (record.getRole() == IdentityRole.DEVICE && !Names.isLabel(clientId)) {
      return refused(
          Status.BAD_REQUEST,
          "a device's client id must be a name of lowercase letters, digits and hyphens");
    }
    final ClientIdClaim claim = router.claimClientId(clientId, record.getName(), clock.millis());
    if (!claim.isAdmitted()) {
      return refused(claim.status(), claim.reason(clientId, router.config().clientIds()));
    }
    return LoginResult.admitted(
        new Principal(record.getName(), record.getRole(), clientId), claim == ClientIdClaim.BOUND);
  }

  private static LoginResult refused(final Status status, final String reason) {
    return LoginResult.refused(status, reason);
  }

  private static CompletableFuture<LoginResult> done(final LoginResult result) {
    return CompletableFuture.completedFuture(result);
  }
}
