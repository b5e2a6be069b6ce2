package io.troupe.router;

import io.troupe.contract.Invitations;
import io.troupe.contract.Names;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.router.internal.login.CredentialCache;
import io.troupe.router.internal.login.HashQueue;
import io.troupe.router.internal.login.LoginThrottle;
import io.troupe.router.internal.login.Passwords;
import io.troupe.router.internal.login.SharedVerifications;
import io.troupe.router.internal.registry.ClientIds;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks logins: backoff after failures, the password, the upgrade of an outdated hash, and the
 * binding of the client id to the identity ({@link ClientIds}). A password is checked by the cache
 * of credentials verified recently, else by the fast keyed hash of a secret the gateway generated
 * (on the caller's thread: microseconds), else by PBKDF2 on the given executor through a {@link
 * HashQueue} that takes identities in turn, one check per identity at a time. Logins with the same
 * credentials wait for one check ({@link SharedVerifications}). Thread-safe.
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
  private final HashQueue queue;
  private final SharedVerifications<Verified> verifications = new SharedVerifications<>();
  private final Executor executor;
  private volatile RouterMetrics metrics = RouterMetrics.NONE;

  /**
   * A shared check's outcome: the identity's record if the password was right (upgraded if due).
   */
  private record Verified(Optional<IdentityRecord> record, boolean busy) {
    static final Verified BUSY = new Verified(Optional.empty(), true);
  }

  /** The key that names which are no identity share in the queue: no name can be empty. */
  private static final String NO_IDENTITY = "";

  /**
   * @param router whose identities and client-id bindings are checked
   * @param executor where PBKDF2 hashes run, at most {@link LoginConfig#concurrentHashes()} at a
   *     time, and where logins that waited for one are completed
   */
  public Logins(
      final GatewayRouter router,
      final LoginConfig config,
      final Clock clock,
      final Executor executor) {
    this(router, config, clock, executor, Passwords.pbkdf2(config.hashIterations()));
  }

  public Logins(
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
    this.executor = Objects.requireNonNull(executor, "executor");
    this.queue =
        new HashQueue(
            executor,
            config.concurrentHashes(),
            config.queuedHashesPerIdentity(),
            config.queuedHashes());
  }

  /** Tells {@code metrics} of every refusal and password check from now on. */
  public void reportTo(final RouterMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * Checks {@code attempt}. Completes at once when it is refused before any hash (missing
   * credentials, a malformed client id, backoff) or its password is checked by the cache or the
   * fast hash; otherwise when its PBKDF2 hash (or the same credential's, running already) has run
   * on the executor, or at once with 503 when the identity's or the whole queue is full. See {@link
   * LoginResult} for the refusals. The future fails only if the executor rejects the work.
   */
  public CompletableFuture<LoginResult> login(final LoginAttempt attempt) {
    final Optional<LoginResult> malformed = malformed(attempt);
    if (malformed.isPresent()) {
      return done(malformed.get());
    }
    final String name = attempt.userName().get();
    final byte[] password = attempt.password().get();
    final long now = clock.millis();
    final Optional<LoginResult> backedOff = backedOff(name, attempt.address());
    if (backedOff.isPresent()) {
      return done(backedOff.get());
    }
    if (Invitations.INVITEE_USER.equals(name)) {
      return done(invitee(attempt, password, now));
    }
    final IdentityRecord record = router.inRegistry(r -> r.identities().get(name), x -> false);
    if (record != null && cache.matches(record, password, now)) {
      metrics.loginChecked(RouterMetrics.LoginCheck.CACHED);
      return done(admitByPassword(record, attempt));
    }
    if (passwords.cost(name, record, password) == Passwords.Cost.FAST) {
      metrics.loginChecked(RouterMetrics.LoginCheck.FAST);
      return done(finish(verify(name, record, password), attempt));
    }
    final SharedVerifications.Shared<Verified> shared =
        verifications.verify(
            name,
            password,
            () ->
                queue.submit(
                    record == null ? NO_IDENTITY : name, () -> verify(name, record, password)),
            Verified.BUSY);
    metrics.loginChecked(
        shared.joined() ? RouterMetrics.LoginCheck.JOINED : RouterMetrics.LoginCheck.SLOW);
    final CompletableFuture<Verified> result = shared.result();
    return result.isDone()
        ? result.thenApply(
            verified -> finish(verified, attempt)) // refused as busy: no need to wait
        : result.thenApplyAsync(verified -> finish(verified, attempt), executor);
  }

  /** The refusal of a login of {@code name} from {@code address} while it is backed off. */
  Optional<LoginResult> backedOff(final String name, final String address) {
    final Optional<Duration> wait = throttle.blocked(name, address, clock.millis());
    if (wait.isEmpty()) {
      return Optional.empty();
    }
    final long seconds = (wait.get().toMillis() + 999) / 1000;
    return Optional.of(
        refused(
            RouterMetrics.LoginRefusal.BACKED_OFF,
            Status.TOO_MANY_REQUESTS,
            "too many failed logins; retry in " + seconds + " s"));
  }

  /** Counts a login of {@code name} from {@code address} that proved nothing, for backoff. */
  void failed(final String name, final String address) {
    throttle.failed(name, address, clock.millis());
  }

  /** Clears the failures of {@code name} from {@code address}: it proved who it is. */
  void succeeded(final String name, final String address) {
    throttle.succeeded(name, address);
  }

  /** The identity named {@code name}, or null. */
  IdentityRecord identity(final String name) {
    return router.inRegistry(r -> r.identities().get(name), x -> false);
  }

  /**
   * Records {@code publicKey} as the machine of {@code record}'s identity, saved, unless the
   * identity changed meanwhile (then nothing is recorded).
   *
   * @return whether it was recorded
   */
  boolean bindMachine(final IdentityRecord record, final byte[] publicKey) {
    return router.inRegistry(
        r -> {
          if (!record.equals(r.identities().get(record.getName()))) {
            return false;
          }
          r.putIdentity(
              record.toBuilder()
                  .setMachinePublicKey(com.google.protobuf.ByteString.copyFrom(publicKey))
                  .build());
          return true;
        },
        changed -> changed);
  }

  Optional<LoginResult> malformed(final LoginAttempt attempt) {
    if (attempt.userName().isEmpty() || attempt.password().isEmpty()) {
      return Optional.of(
          refused(
              RouterMetrics.LoginRefusal.BAD_CREDENTIALS,
              Status.UNAUTHORIZED,
              "a user name and password are required"));
    }
    if (!Names.isTopicLevel(attempt.clientId())) {
      return Optional.of(
          refusedClientId(Status.BAD_REQUEST, "a client id must not contain '/', '+' or '#'"));
    }
    if (isBridged(attempt.clientId())) {
      return Optional.of(
          refusedClientId(
              Status.BAD_REQUEST,
              "client ids starting with '" + BRIDGED_CLIENT_PREFIX + "' are the gateway's"));
    }
    return Optional.empty();
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
    final IdentityRecord record = router.inRegistry(r -> r.identities().get(identity), x -> false);
    return Optional.ofNullable(record).map(r -> new Principal(r.getName(), r.getRole(), clientId));
  }

  /**
   * The key generation of {@code identity}, empty when it does not exist; cheap and lock-free, for
   * the DTLS handshake's PSK lookup.
   */
  public java.util.OptionalInt keyGeneration(final String identity) {
    return router.keyGeneration(identity);
  }

  /** Whether {@code identity} exists. */
  public boolean exists(final String identity) {
    return router.inRegistry(r -> r.identities().containsKey(identity), x -> false);
  }

  /**
   * Whether a connection of {@code identity} with {@code clientId} may resume the session stored
   * under that id: only when the identity has used that id before. A new binding starts clean, so
   * that nobody inherits an earlier holder's subscriptions and queued messages.
   */
  public boolean mayResumeSession(final String clientId, final String identity) {
    return router.inRegistry(r -> r.clientIds().isHeldBy(clientId, identity), x -> false);
  }

  /** The shared part of a check: the hash, and the upgrade of an outdated one, done once. */
  private Verified verify(final String name, final IdentityRecord record, final byte[] password) {
    if (!passwords.verify(name, record, password)) {
      return new Verified(Optional.empty(), false);
    }
    final IdentityRecord current =
        passwords.isOutdated(record, password) ? upgrade(record, password) : record;
    cache.remember(current, password, clock.millis());
    return new Verified(Optional.of(current), false);
  }

  /** The part of a check each login does for itself: count the outcome, bind the client id. */
  private LoginResult finish(final Verified verified, final LoginAttempt attempt) {
    final String name = attempt.userName().orElseThrow();
    if (verified.busy()) {
      return refused(
          RouterMetrics.LoginRefusal.BUSY, Status.UNAVAILABLE, "server busy; retry later");
    }
    if (verified.record().isEmpty()) {
      throttle.failed(name, attempt.address(), clock.millis());
      return refused(
          RouterMetrics.LoginRefusal.BAD_CREDENTIALS,
          Status.UNAUTHORIZED,
          "bad user name or password");
    }
    throttle.succeeded(name, attempt.address());
    return admitByPassword(verified.record().get(), attempt);
  }

  /** The reason a password login of an identity bound to its machine is refused. */
  static final String BOUND_TO_MACHINE = "bound to its machine; log in with its machine key";

  /** A right password admits unless the identity is bound to a machine (R13). */
  private LoginResult admitByPassword(final IdentityRecord record, final LoginAttempt attempt) {
    if (!record.getMachinePublicKey().isEmpty()) {
      return refused(RouterMetrics.LoginRefusal.MACHINE, Status.FORBIDDEN, BOUND_TO_MACHINE);
    }
    return admit(record, attempt);
  }

  /**
   * A session whose only credential is an invitation (R14): admitted as an {@link
   * IdentityRole#INVITEE} while the invitation may be redeemed, with a client id nobody holds; a
   * bad invitation counts as a failed login for the backoff.
   */
  private LoginResult invitee(final LoginAttempt attempt, final byte[] token, final long now) {
    final String name = Invitations.INVITEE_USER;
    if (!router.acceptsInvitation(new String(token, StandardCharsets.UTF_8))) {
      throttle.failed(name, attempt.address(), now);
      return refused(
          RouterMetrics.LoginRefusal.BAD_CREDENTIALS,
          Status.UNAUTHORIZED,
          "the invitation is not valid, or expired, revoked, used up or redeemed already");
    }
    if (!router.inRegistry(r -> r.clientIds().isFree(attempt.clientId()), x -> false)) {
      return refusedClientId(
          Status.FORBIDDEN, "an invitation's session needs a client id nobody else holds");
    }
    throttle.succeeded(name, attempt.address());
    return LoginResult.admitted(
        new Principal(name, IdentityRole.INVITEE, attempt.clientId()), false);
  }

  private IdentityRecord upgrade(final IdentityRecord record, final byte[] password) {
    final IdentityRecord upgraded = passwords.upgraded(record, password);
    final boolean replaced =
        router.inRegistry(
            r -> {
              if (!record.equals(r.identities().get(record.getName()))) {
                return false; // changed meanwhile: leave it
              }
              r.putIdentity(upgraded);
              return true;
            },
            changed -> changed);
    if (replaced) {
      log.info(
          "upgraded a password hash [identity: {}, scheme: {} -> {}, iterations: {} -> {}]",
          record.getName(),
          record.getScheme(),
          upgraded.getScheme(),
          record.getIterations(),
          upgraded.getIterations());
    }
    return replaced ? upgraded : record;
  }

  LoginResult admit(final IdentityRecord record, final LoginAttempt attempt) {
    final String clientId = attempt.clientId();
    if (record.getRole() == IdentityRole.DEVICE && !Names.isLabel(clientId)) {
      return refusedClientId(
          Status.BAD_REQUEST,
          "a device's client id must be a name of lowercase letters, digits and hyphens");
    }
    if (record.getRole() != IdentityRole.ADMIN) {
      final Optional<String> overPolicy = router.sessionRefusal(record.getName(), clientId);
      if (overPolicy.isPresent()) {
        // CONFLICT: CONNACK 0x97 (quota exceeded), as for an identity's full allowance of ids
        metrics.policyRefused(RouterMetrics.PolicyLimit.CONNECTIONS);
        return LoginResult.refused(Status.CONFLICT, overPolicy.get());
      }
    }
    final ClientIdClaim claim = router.claimClientId(clientId, record.getName(), clock.millis());
    if (!claim.isAdmitted()) {
      return refusedClientId(claim.status(), claim.reason(clientId, router.config().clientIds()));
    }
    return LoginResult.admitted(
        new Principal(record.getName(), record.getRole(), clientId), claim == ClientIdClaim.BOUND);
  }

  LoginResult refused(
      final RouterMetrics.LoginRefusal why, final Status status, final String reason) {
    metrics.loginRefused(why);
    return LoginResult.refused(status, reason);
  }

  private LoginResult refusedClientId(final Status status, final String reason) {
    return refused(RouterMetrics.LoginRefusal.CLIENT_ID, status, reason);
  }

  private static CompletableFuture<LoginResult> done(final LoginResult result) {
    return CompletableFuture.completedFuture(result);
  }
}
