package io.troupe.router.internal.login;

import io.troupe.router.LoginConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Backs off logins after failures, at two keys: one identity from one address (the tight one), and
 * one address whatever the identity (password spraying). Both are the failing source's own: no
 * count of failures refuses the right password from another address, so failures cannot lock a user
 * out. Guessing at one identity from many addresses is bounded instead by {@link HashQueue}, which
 * checks one password of an identity at a time and makes the rest wait. Names that are no identity
 * are counted alike, so backoff tells nothing about which names exist. A refused login is not a
 * failure: while backed off, nothing is counted or hashed.
 *
 * <p>Thread-safe. Each key kind keeps at most {@code maxEntries} keys, the least recently failed
 * going first.
 */
public final class LoginThrottle {

  private static final class Failures {
    int count;
    long lastMs;
    long blockedUntilMs;
  }

  private final LoginConfig config;
  private final Map<String, Failures> pairs;
  private final Map<String, Failures> addresses;

  public LoginThrottle(final LoginConfig config, final int maxEntries) {
    this.config = config;
    this.pairs = bounded(maxEntries);
    this.addresses = bounded(maxEntries);
  }

  /** How long logins of {@code identity} from {@code address} are still refused, if they are. */
  public synchronized Optional<Duration> blocked(
      final String identity, final String address, final long nowMs) {
    final long until =
        Math.max(
            until(pairs, pair(identity, address), config.pairBackoff(), nowMs),
            until(addresses, address, config.addressBackoff(), nowMs));
    return until > nowMs ? Optional.of(Duration.ofMillis(until - nowMs)) : Optional.empty();
  }

  /** A login of {@code identity} from {@code address} failed. */
  public synchronized void failed(final String identity, final String address, final long nowMs) {
    fail(pairs, pair(identity, address), config.pairBackoff(), nowMs);
    fail(addresses, address, config.addressBackoff(), nowMs);
  }

  /**
   * A login of {@code identity} from {@code address} succeeded: that pair starts afresh. The
   * address's failures stay until they age out, so that one good account does not reset a spraying
   * address.
   */
  public synchronized void succeeded(final String identity, final String address) {
    pairs.remove(pair(identity, address));
  }

  private static long until(
      final Map<String, Failures> map,
      final String key,
      final LoginConfig.Backoff backoff,
      final long nowMs) {
    final Failures f = map.get(key);
    if (f == null) {
      return 0;
    }
    if (nowMs - f.lastMs > backoff.max().toMillis() && nowMs >= f.blockedUntilMs) {
      map.remove(key); // aged out
      return 0;
    }
    return f.blockedUntilMs;
  }

  private static void fail(
      final Map<String, Failures> map,
      final String key,
      final LoginConfig.Backoff backoff,
      final long nowMs) {
    until(map, key, backoff, nowMs); // forget what aged out first
    final Failures f = map.computeIfAbsent(key, k -> new Failures());
    f.count++;
    f.lastMs = nowMs;
    f.blockedUntilMs = Math.max(f.blockedUntilMs, nowMs + backoff.after(f.count).toMillis());
  }

  private static String pair(final String identity, final String address) {
    return identity + '\n' + address;
  }

  private static Map<String, Failures> bounded(final int maxEntries) {
    return new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(final Map.Entry<String, Failures> eldest) {
        return size() > maxEntries;
      }
    };
  }
}
