package io.troupe.coap;

import io.troupe.contract.CoapKeys;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Predicate;
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
 * master key ({@link CoapKeys}), never stored. An identity that does not exist has no key, so its
 * handshake fails. Answers synchronously.
 */
final class DerivedPskStore implements AdvancedPskStore {

  private static final Logger log = LoggerFactory.getLogger(DerivedPskStore.class);

  private final CoapKeys keys;
  private final Predicate<String> exists;

  DerivedPskStore(final CoapKeys keys, final Predicate<String> exists) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.exists = Objects.requireNonNull(exists, "exists");
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
    if (!exists.test(name)) {
      log.debug("refused a DTLS handshake [identity: {}, reason: no such identity]", name);
      return new PskSecretResult(cid, identity, null);
    }
    return new PskSecretResult(
        cid, identity, SecretUtil.create(keys.pskOf(name), PskSecretResult.ALGORITHM_PSK));
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
