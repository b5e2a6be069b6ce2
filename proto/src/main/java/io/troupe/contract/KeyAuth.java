package io.troupe.contract;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.AuthChallenge;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Both sides of MQTT 5 enhanced authentication by key (R13; the exchange is described in {@code
 * auth.proto}). A proof is {@code HMAC-SHA256(key, challenge)}, where the key is an identity's key
 * text ({@link CoapKeys#keyOf(String, int)}) as ASCII bytes and the challenge is the serialized
 * {@link AuthChallenge}; with {@link #MACHINE} it also carries an Ed25519 signature of the same
 * bytes. Every input of the challenge is in the bytes, so a proof answers one challenge only.
 */
public final class KeyAuth {

  /** The method of a login by the identity's key alone. */
  public static final String KEY = "TROUPE-KEY-1";

  /** The method of a login by the identity's key and the key pair of its machine. */
  public static final String MACHINE = "TROUPE-MACHINE-1";

  /** The shortest and longest client nonce the gateway takes. */
  public static final int MIN_NONCE_BYTES = 16;

  public static final int MAX_NONCE_BYTES = 64;

  /** The length of the gateway's nonce. */
  public static final int SERVER_NONCE_BYTES = 32;

  private static final String HMAC = "HmacSHA256";
  private static final String ED25519 = "Ed25519";
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyAuth() {}

  /** Whether {@code method} is one of ours. */
  public static boolean isMethod(final String method) {
    return KEY.equals(method) || MACHINE.equals(method);
  }

  /** {@code length} fresh random bytes, for a nonce. */
  public static byte[] nonce(final int length) {
    final byte[] nonce = new byte[length];
    RANDOM.nextBytes(nonce);
    return nonce;
  }

  /** The bytes a proof covers. */
  public static byte[] challenge(
      final String method,
      final String identity,
      final String clientId,
      final byte[] serverNonce,
      final byte[] clientNonce) {
    return AuthChallenge.newBuilder()
        .setMethod(Objects.requireNonNull(method, "method"))
        .setIdentity(Objects.requireNonNull(identity, "identity"))
        .setClientId(Objects.requireNonNull(clientId, "clientId"))
        .setServerNonce(ByteString.copyFrom(serverNonce))
        .setClientNonce(ByteString.copyFrom(clientNonce))
        .build()
        .toByteArray();
  }

  /** {@code HMAC-SHA256(key's ASCII bytes, challenge)}. */
  public static byte[] mac(final String key, final byte[] challenge) {
    try {
      final Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.US_ASCII), HMAC));
      return mac.doFinal(challenge);
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  /** Whether {@code proof} is the MAC of {@code challenge} under {@code key}; constant time. */
  public static boolean macMatches(final String key, final byte[] challenge, final byte[] proof) {
    return MessageDigest.isEqual(mac(key, challenge), proof);
  }

  /** A fresh Ed25519 key pair for a machine. */
  public static KeyPair newMachineKeyPair() {
    try {
      return KeyPairGenerator.getInstance(ED25519).generateKeyPair();
    } catch (final GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available", e);
    }
  }

  /** The Ed25519 signature of {@code challenge} by {@code machine}. */
  public static byte[] sign(final PrivateKey machine, final byte[] challenge) {
    try {
      final Signature signature = Signature.getInstance(ED25519);
      signature.initSign(machine);
      signature.update(challenge);
      return signature.sign();
    } catch (final GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 private key: " + e.getMessage(), e);
    }
  }

  /**
   * Whether {@code signature} is the Ed25519 signature of {@code challenge} by the key whose
   * SubjectPublicKeyInfo (DER) is {@code publicKey}; false, never an exception, for anything
   * malformed.
   */
  public static boolean signatureMatches(
      final byte[] publicKey, final byte[] challenge, final byte[] signature) {
    try {
      final Signature verifier = Signature.getInstance(ED25519);
      verifier.initVerify(publicKey(publicKey));
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (final GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The Ed25519 public key of SubjectPublicKeyInfo {@code der}. */
  public static PublicKey publicKey(final byte[] der) throws GeneralSecurityException {
    return KeyFactory.getInstance(ED25519).generatePublic(new X509EncodedKeySpec(der));
  }
}
