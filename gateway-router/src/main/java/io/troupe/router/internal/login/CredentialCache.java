package io.troupe.router.internal.login;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.IdentityRecord;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Credentials verified recently, so that a reconnect costs a keyed hash instead of a PBKDF2 one.
 * Keeps, per identity, an HMAC-SHA256 of the password under a key that lives only in this process,
 * never the password; an entry holds only while the identity's stored hash is the one it was
 * verified against (a changed password or a removed identity misses) and for {@code ttl}.
 * Thread-safe; at most {@code size} entries, the least recently used going first.
 */
public final class CredentialCache {

  private record Entry(ByteString storedHash, byte[] digest, long expiresMs) {}

  private final Duration ttl;
  private final Map<String, Entry> entries;
  private final SecretKeySpec key;

  public CredentialCache(final int size, final Duration ttl) {
    this.ttl = ttl;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(final Map.Entry<String, Entry> eldest) {
            return size() > size;
          }
        };
    final byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  /** Whether {@code password} was verified for {@code record} within the time to live. */
  public boolean matches(final IdentityRecord record, final byte[] password, final long nowMs) {
    final Entry e;
    synchronized (this) {
      e = entries.get(record.getName());
    }
    return e != null
        && nowMs < e.expiresMs()
        && e.storedHash().equals(record.getHash())
        && MessageDigest.isEqual(e.digest(), digest(password));
  }

  /** {@code password} was just verified for {@code record}. */
  public void remember(final IdentityRecord record, final byte[] password, final long nowMs) {
    final Entry e = new Entry(record.getHash(), digest(password), nowMs + ttl.toMillis());
    synchronized (this) {
      entries.put(record.getName(), e);
    }
  }

  private byte[] digest(final byte[] password) {
    try {
      final Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(password);
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
