package io.troupe.router;

import com.google.protobuf.InvalidProtocolBufferException;
import io.troupe.contract.CoapKeys;
import io.troupe.contract.KeyAuth;
import io.troupe.proto.v1.AuthChallenge;
import io.troupe.proto.v1.AuthProof;
import io.troupe.proto.v1.IdentityRecord;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Logins by an identity's key over MQTT 5 enhanced authentication (R13; the exchange is in {@code
 * auth.proto}, the bytes in {@link KeyAuth}). {@link #start} checks the CONNECT and issues a
 * challenge with a fresh server nonce; {@link #answer} checks the client's proof against it in
 * constant time and admits with the same client-id rules as a password login ({@link Logins}).
 * Failed proofs count for the same backoff as wrong passwords.
 *
 * <p>With {@link KeyAuth#MACHINE} the proof also carries an Ed25519 signature of the challenge: the
 * first such login of an identity with no machine records the key pair's public key (saved); every
 * later one must be signed by that key pair, and another key pair is refused. An identity bound to
 * its machine may log in no other way. Thread-safe; {@link #answer} may write the state (a first
 * machine login), so it runs off the network thread.
 */
public final class KeyLogins {

  /** The reason for a wrong or malformed proof; unknown identities read alike. */
  static final String BAD_PROOF = "bad user name or key";

  private final Logins logins;
  private final CoapKeys keys;

  /**
   * @param logins whose backoff, client-id bindings and metrics key logins share
   * @param keys the gateway's identity keys
   */
  public KeyLogins(final Logins logins, final CoapKeys keys) {
    this.logins = Objects.requireNonNull(logins, "logins");
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  /**
   * A CONNECT asking for key authentication.
   *
   * @param method the CONNECT's authentication method
   * @param clientId the client id as the broker holds it
   * @param userName the identity it claims
   * @param clientNonce the CONNECT's authentication data
   * @param address where it comes from, for backoff
   */
  public record Attempt(
      String method,
      String clientId,
      Optional<String> userName,
      byte[] clientNonce,
      String address) {

    public Attempt {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(userName, "userName");
      clientNonce = clientNonce.clone();
      Objects.requireNonNull(address, "address");
    }

    LoginAttempt asLogin() {
      return new LoginAttempt(clientId, userName, Optional.of(new byte[0]), address);
    }
  }

  /**
   * The challenge of one attempt: what its proof must cover.
   *
   * @param serverNonce what the gateway sends in its AUTH packet
   */
  public record Challenge(Attempt attempt, byte[] serverNonce) {

    public Challenge {
      Objects.requireNonNull(attempt, "attempt");
      serverNonce = serverNonce.clone();
    }

    @Override
    public byte[] serverNonce() {
      return serverNonce.clone();
    }

    /** The bytes its proof covers: the serialized {@link AuthChallenge}. */
    public byte[] bytes() {
      return KeyAuth.challenge(
          attempt.method(),
          attempt.userName().orElseThrow(),
          attempt.clientId(),
          serverNonce,
          attempt.clientNonce());
    }

    /**
     * The challenge whose {@link #bytes} are {@code bytes}, of an attempt from {@code address}: how
     * an edge that kept only the bytes between the two packets of one connection gets it back.
     *
     * @throws IllegalArgumentException when {@code bytes} is no challenge
     */
    public static Challenge of(final byte[] bytes, final String address) {
      final AuthChallenge c;
      try {
        c = AuthChallenge.parseFrom(bytes);
      } catch (final InvalidProtocolBufferException e) {
        throw new IllegalArgumentException("not an AuthChallenge: " + e.getMessage(), e);
      }
      return new Challenge(
          new Attempt(
              c.getMethod(),
              c.getClientId(),
              Optional.of(c.getIdentity()),
              c.getClientNonce().toByteArray(),
              address),
          c.getServerNonce().toByteArray());
    }
  }

  /**
   * Checks a CONNECT that asks for key authentication and challenges it.
   *
   * @return the challenge to send, or the refusal: 400 an unknown method, a client nonce of the
   *     wrong length or a bad client id; 401 no user name; 429 backed off
   */
  public Result start(final Attempt attempt) {
    if (!KeyAuth.isMethod(attempt.method())) {
      return Result.refused(
          logins.refused(
              RouterMetrics.LoginRefusal.BAD_CREDENTIALS,
              Status.BAD_REQUEST,
              "unknown authentication method '"
                  + attempt.method()
                  + "'; use "
                  + KeyAuth.KEY
                  + " or "
                  + KeyAuth.MACHINE));
    }
    final int nonce = attempt.clientNonce().length;
    if (nonce < KeyAuth.MIN_NONCE_BYTES || nonce > KeyAuth.MAX_NONCE_BYTES) {
      return Result.refused(
          logins.refused(
              RouterMetrics.LoginRefusal.BAD_CREDENTIALS,
              Status.BAD_REQUEST,
              "the authentication data of a CONNECT is a client nonce of "
                  + KeyAuth.MIN_NONCE_BYTES
                  + " to "
                  + KeyAuth.MAX_NONCE_BYTES
                  + " bytes, not "
                  + nonce));
    }
    final Optional<LoginResult> refused =
        logins
            .malformed(attempt.asLogin())
            .or(() -> logins.backedOff(attempt.userName().get(), attempt.address()));
    if (refused.isPresent()) {
      return Result.refused(refused.get());
    }
    return new Result(
        Optional.of(new Challenge(attempt, KeyAuth.nonce(KeyAuth.SERVER_NONCE_BYTES))),
        Optional.empty());
  }

  /**
   * The outcome of {@link #start}: a challenge, or a refusal.
   *
   * @param challenge to send the client
   * @param refusal why the CONNECT is refused
   */
  public record Result(Optional<Challenge> challenge, Optional<LoginResult> refusal) {
    static Result refused(final LoginResult refusal) {
      return new Result(Optional.empty(), Optional.of(refusal));
    }
  }

  /**
   * Checks the client's answer {@code proof} (a serialized {@link AuthProof}) to {@code challenge}.
   * See {@link LoginResult} for the refusals; besides: 401 a wrong, malformed or replayed proof
   * ("bad user name or key"), or a machine login without a valid signature; 403 an identity bound
   * to its machine that logs in by key alone or from another key pair.
   */
  public LoginResult answer(final Challenge challenge, final byte[] proof) {
    final Attempt attempt = challenge.attempt();
    final String name = attempt.userName().orElseThrow();
    final Optional<LoginResult> backedOff = logins.backedOff(name, attempt.address());
    if (backedOff.isPresent()) {
      return backedOff.get();
    }
    final AuthProof parsed;
    try {
      parsed = AuthProof.parseFrom(proof);
    } catch (final InvalidProtocolBufferException e) {
      return failed(attempt, RouterMetrics.LoginRefusal.BAD_CREDENTIALS, BAD_PROOF);
    }
    final IdentityRecord record = logins.identity(name);
    final byte[] bytes = challenge.bytes();
    // an unknown identity is checked against a key of its own so that it costs the same
    final String key = keys.keyOf(name, record == null ? 0 : record.getKeyGeneration());
    if (!KeyAuth.macMatches(key, bytes, parsed.getMac().toByteArray()) || record == null) {
      return failed(attempt, RouterMetrics.LoginRefusal.BAD_CREDENTIALS, BAD_PROOF);
    }
    final byte[] bound = record.getMachinePublicKey().toByteArray();
    if (KeyAuth.KEY.equals(attempt.method())) {
      return bound.length == 0
          ? admitted(record, attempt)
          : refusedMachine(Logins.BOUND_TO_MACHINE);
    }
    return machine(record, attempt, bytes, parsed, bound);
  }

  private LoginResult machine(
      final IdentityRecord record,
      final Attempt attempt,
      final byte[] bytes,
      final AuthProof proof,
      final byte[] bound) {
    final byte[] shown = proof.getMachinePublicKey().toByteArray();
    final byte[] signature = proof.getMachineSignature().toByteArray();
    if (bound.length > 0) {
      final boolean sameMachine =
          (shown.length == 0 || Arrays.equals(bound, shown))
              && KeyAuth.signatureMatches(bound, bytes, signature);
      return sameMachine
          ? admitted(record, attempt)
          : refusedMachine(
              "'"
                  + record.getName()
                  + "' is bound to another machine; log in with that machine's key");
    }
    if (!KeyAuth.signatureMatches(shown, bytes, signature)) {
      // the identity key was right: whoever this is holds it, so it is not a guess to back off
      return logins.refused(
          RouterMetrics.LoginRefusal.MACHINE,
          Status.UNAUTHORIZED,
          "a machine login needs the machine's public key and its signature of the challenge");
    }
    if (!logins.bindMachine(record, shown)) {
      return logins.refused(
          RouterMetrics.LoginRefusal.BUSY,
          Status.UNAVAILABLE,
          "the identity changed during the login; retry");
    }
    return admitted(record, attempt);
  }

  private LoginResult admitted(final IdentityRecord record, final Attempt attempt) {
    logins.succeeded(record.getName(), attempt.address());
    return logins.admit(record, attempt.asLogin());
  }

  private LoginResult refusedMachine(final String reason) {
    return logins.refused(RouterMetrics.LoginRefusal.MACHINE, Status.FORBIDDEN, reason);
  }

  private LoginResult failed(
      final Attempt attempt, final RouterMetrics.LoginRefusal why, final String reason) {
    logins.failed(attempt.userName().orElseThrow(), attempt.address());
    return logins.refused(why, Status.UNAUTHORIZED, reason);
  }
}
