package io.troupe.coap;

import io.troupe.contract.CoapKeys;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Function;
import javax.crypto.SecretKey;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.PskSecretResult;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedPskStore;
import org.eclipse.californium.scandium.util.SecretUtil;
import org.eclipse.californium.scandium.util.ServerNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's PSK store: the PSK identity is the Troupe identity and its key is derived from the
 * master key and the identity's current key generation ({@link CoapKeys#keyOf(String, int)}), never
 * stored: a reset identity's old key fails at once. An identity that does not exist gets a random
 * key, fresh for each handshake: its handshake then fails as one with a wrong key does, with the
 * same alert after the same round trips ({@link AlertingDtlsConnector}), so that a client cannot
 * tell which identities exist. Answers synchronously.
 */
final class DerivedPskStore implements AdvancedPskStore {

  private static final Logger log = LoggerFactory.getLogger(DerivedPskStore.class);

  /** The length of a derived key (43 characters of base64url), so that nothing tells them apart. */
  private static final int KEY_BYTES = 43;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final CoapKeys keys;
  private final Function<String, OptionalInt> generations;

  /**
   * @param generations each identity's current key generation; empty for no such identity
   */
  DerivedPskStore(final CoapKeys keys, final Function<String, OptionalInt> generations) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.generations = Objects.requireNonNull(generations, "generations");
  }

  @Override
  public boolean hasEcdhePskSupported() {
    return true;
  }

  @Override
  public PskSecretResult requestPskSecretResult(
      final ConnectionId cid,
      final ServerNames serverName,
      final PskPublicInformation identity,
      final String hmacAlgorithm,
      final SecretKey otherSecret,
      final byte[] seed,
      final boolean useExtendedMasterSecret) {
    final String name = identity.getPublicInfoAsString();
    final OptionalInt generation = generations.apply(name);
    if (generation.isEmpty()) {
      log.debug("refused a DTLS handshake [identity: {}, reason: no such identity]", name);
      final byte[] none = new byte[KEY_BYTES];
      RANDOM.nextBytes(none);
      return new PskSecretResult(
          cid, identity, SecretUtil.create(none, PskSecretResult.ALGORITHM_PSK));
    }
    return new PskSecretResult(
        cid,
        identity,
        SecretUtil.create(keys.pskOf(name, generation.getAsInt()), PskSecretResult.ALGORITHM_PSK));
  }

  @Override
  public PskPublicInformation getIdentity(
      final InetSocketAddress peerAddress, final ServerNames virtualHost) {
    return null; // a server only: it never starts a handshake
  }

  @Override
  public void setResultHandler(final HandshakeResultHandler resultHandler) {
    // results are returned at once
  }
}
