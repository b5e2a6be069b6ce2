package io.troupe.router.internal.login;

import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One verification per distinct credential at a time: a login whose identity and password are being
 * checked already waits for that check instead of hashing again, so 500 clients of one identity
 * connecting at once cost one hash. Credentials are told apart by an HMAC of the password under a
 * key that lives only in this process; the password itself is not kept. Thread-safe.
 *
 * @param <T> what a verification yields
 */
public final class SharedVerifications<T> {

  private final Map<String, CompletableFuture<T>> inFlight = new ConcurrentHashMap<>();
  private final SecretKeySpec key = new SecretKeySpec(PasswordHasher.newSalt(), "HmacSHA256");

  /** What a caller got: the shared result, and whether it joined a verification already running. */
  public record Shared<T>(CompletableFuture<T> result, boolean joined) {}

  /**
   * The result of verifying {@code password} for {@code name}: the running verification's if there
   * is one, else a new one that {@code start} begins. When {@code start} cannot begin one (empty),
   * this verification and those that joined it meanwhile yield {@code refused}.
   */
  public Shared<T> verify(
      final String name,
      final byte[] password,
      final Supplier<Optional<CompletableFuture<T>>> start,
      final T refused) {
    final String credential = name + '\n' + fingerprint(password);
    final CompletableFuture<T> mine = new CompletableFuture<>();
    final CompletableFuture<T> running = inFlight.putIfAbsent(credential, mine);
    if (running != null) {
      return new Shared<>(running, true);
    }
    start
        .get()
        .ifPresentOrElse(
            started ->
                started.whenComplete(
                    (result, error) -> {
                      inFlight.remove(credential, mine);
                      if (error != null) {
                        mine.completeExceptionally(error);
                      } else {
                        mine.complete(result);
                      }
                    }),
            () -> {
              inFlight.remove(credential, mine);
              mine.complete(refused);
            });
    return new Shared<>(mine, false);
  }

  /** How many verifications are running or waiting now. */
  int inFlight() {
    return inFlight.size();
  }

  private String fingerprint(final byte[] password) {
    try {
      final Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return HexFormat.of().formatHex(mac.doFinal(password));
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
