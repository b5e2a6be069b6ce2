package io.troupe.router;

import com.google.common.base.Preconditions;
import java.time.Duration;
import java.util.Objects;

/**
 * How the gateway checks logins.
 *
 * @param hashIterations PBKDF2-HMAC-SHA256 iterations for new and upgraded password hashes (OWASP's
 *     guidance: 600,000); lower only to keep tests fast
 * @param concurrentHashes how many PBKDF2 hashes may be computed at once (each of another identity)
 * @param queuedHashes how many more may wait in all; a login beyond that is refused as "server
 *     busy"
 * @param queuedHashesPerIdentity how many may wait for one identity (names that are no identity
 *     count as one); the identity's password is checked one guess at a time, so this bounds how
 *     long a login waits behind guesses, not how fast one can guess
 * @param pairBackoff failures of one identity from one address
 * @param addressBackoff failures from one address, whatever the identity
 * @param cacheTtl how long a verified credential spares the hash on reconnect
 * @param cacheSize how many verified credentials are remembered at most
 */
public record LoginConfig(
    int hashIterations,
    int concurrentHashes,
    int queuedHashes,
    int queuedHashesPerIdentity,
    Backoff pairBackoff,
    Backoff addressBackoff,
    Duration cacheTtl,
    int cacheSize) {

  /** OWASP's 2023 guidance for PBKDF2-HMAC-SHA256. */
  public static final int GUIDANCE_ITERATIONS = 600_000;

  /** The floor RFC 8018 sets; anything lower is refused. */
  public static final int MIN_ITERATIONS = 1_000;

  public LoginConfig {
    Preconditions.checkArgument(
        hashIterations >= MIN_ITERATIONS,
        "hashIterations must be at least %s: %s",
        MIN_ITERATIONS,
        hashIterations);
    Preconditions.checkArgument(concurrentHashes > 0, "concurrentHashes must be positive");
    Preconditions.checkArgument(queuedHashes >= 0, "queuedHashes must not be negative");
    Preconditions.checkArgument(
        queuedHashesPerIdentity >= 0, "queuedHashesPerIdentity must not be negative");
    Objects.requireNonNull(pairBackoff, "pairBackoff");
    Objects.requireNonNull(addressBackoff, "addressBackoff");
    Objects.requireNonNull(cacheTtl, "cacheTtl");
    Preconditions.checkArgument(cacheSize >= 0, "cacheSize must not be negative");
  }

  /**
   * The shipped defaults: 600,000 iterations; half the processors hash (at least one), 1,000 wait
   * in all and 16 per identity; backoff after 5 failures of a user from one address (1 s doubling
   * to 15 min) and 30 from one address (1 s doubling to 5 min); verified credentials remembered 10
   * min, 10,000 at most.
   */
  public static LoginConfig defaults() {
    return new LoginConfig(
        GUIDANCE_ITERATIONS,
        Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
        1_000,
        16,
        new Backoff(5, Duration.ofSeconds(1), Duration.ofMinutes(15)),
        new Backoff(30, Duration.ofSeconds(1), Duration.ofMinutes(5)),
        Duration.ofMinutes(10),
        10_000);
  }

  public LoginConfig withHashIterations(final int value) {
    return new LoginConfig(
        value,
        concurrentHashes,
        queuedHashes,
        queuedHashesPerIdentity,
        pairBackoff,
        addressBackoff,
        cacheTtl,
        cacheSize);
  }

  /**
   * With {@code concurrent} hashes at once, {@code queued} more in all, {@code perIdentity} each.
   */
  public LoginConfig withHashQueue(final int concurrent, final int queued, final int perIdentity) {
    return new LoginConfig(
        hashIterations,
        concurrent,
        queued,
        perIdentity,
        pairBackoff,
        addressBackoff,
        cacheTtl,
        cacheSize);
  }

  /**
   * After {@code threshold} failures in a row, logins are refused for {@code first}, doubling with
   * every further failure up to {@code max}. Failures are forgotten {@code max} after the last one.
   */
  public record Backoff(int threshold, Duration first, Duration max) {
    public Backoff {
      Preconditions.checkArgument(threshold > 0, "threshold must be positive: %s", threshold);
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(max, "max");
      Preconditions.checkArgument(
          !first.isNegative() && first.compareTo(max) <= 0, "first must be within 0..max");
    }

    /** How long to refuse after {@code failures} failures in a row; zero below the threshold. */
    public Duration after(final int failures) {
      if (failures < threshold) {
        return Duration.ZERO;
      }
      final int doublings = Math.min(failures - threshold, 30);
      final Duration d = first.multipliedBy(1L << doublings);
      return d.compareTo(max) > 0 ? max : d;
    }
  }
}
