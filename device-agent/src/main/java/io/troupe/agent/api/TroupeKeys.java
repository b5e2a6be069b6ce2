package io.troupe.agent.api;

import io.troupe.contract.Invitations;
import io.troupe.proto.v1.AuthKey;
import io.troupe.proto.v1.CreateKey;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.KeyAction;
import io.troupe.proto.v1.KeyList;
import io.troupe.proto.v1.ListKeys;
import io.troupe.proto.v1.RedeemInvitation;
import io.troupe.proto.v1.Redeemed;
import io.troupe.proto.v1.RevokeKey;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jetbrains.annotations.NotNull;

/**
 * Keys and invitations (R14) through a connected {@link TroupeConsumer}.
 *
 * <p>The owner of a service's community (or an admin) creates a key for the service with the
 * actions it grants; the key's secret is answered once. Whoever holds the key builds invitations
 * from it without asking the gateway ({@link #invitation}), and sends the URL to anyone. The
 * invitee redeems it: an existing identity as itself, someone with no identity in a session whose
 * only credential is the invitation ({@link TroupeConsumer.Builder#invitation}), which gets a new
 * identity and its password once.
 *
 * <pre>{@code
 * AuthKey key = owner.keys().create("echo.demo", List.of(KeyAction.USE), 5, Duration.ZERO).join();
 * String url = TroupeKeys.invitation(TroupeKeys.printed(key), "gw.example:1883");
 * // the invitee:
 * try (TroupeConsumer c = TroupeConsumer.builder().host("gw.example").invitation(url).build()) {
 *   c.connectBlocking();
 *   Redeemed r = c.keys().redeem(url, "", "", "").join();
 *   // r.getIdentity().getName(), r.getIdentity().getPassword(): shown this once
 * }
 * }</pre>
 *
 * <p>Every future fails with a {@link TroupeException} carrying the gateway's status and reason:
 * 400 bad input, 403 not allowed (or a forged or tampered invitation, or a limit of keys reached),
 * 404 unknown service or key, 409 an invitation redeemed already (or a name or address taken), 410
 * a key expired, revoked or used up, 501 keys disabled on the gateway, 504 no answer in time.
 */
public final class TroupeKeys {

  private final TroupeConsumer client;

  TroupeKeys(final TroupeConsumer client) {
    this.client = client;
  }

  /**
   * Creates a key for the service at {@code address} granting {@code actions}, redeemable {@code
   * uses} times (0: once), valid for {@code valid} (zero: the gateway's default, 7 days; at most
   * 365 days). The answer holds the secret, shown this once.
   */
  public @NotNull CompletableFuture<AuthKey> create(
      final @NotNull String address,
      final @NotNull Collection<KeyAction> actions,
      final int uses,
      final @NotNull Duration valid) {
    final CreateKey op =
        CreateKey.newBuilder()
            .setAddress(Objects.requireNonNull(address, "address"))
            .addAllActions(actions)
            .setUses(uses)
            .setValidSeconds(valid.toSeconds())
            .build();
    return api(GatewayRequest.newBuilder().setCreateKey(op).build())
        .thenApply(GatewayResponse::getKey);
  }

  /** The keys this identity created (an admin's: every key), without secrets, and their uses. */
  public @NotNull CompletableFuture<KeyList> list() {
    return api(GatewayRequest.newBuilder().setListKeys(ListKeys.getDefaultInstance()).build())
        .thenApply(GatewayResponse::getKeys);
  }

  /** Revokes key {@code keyId}: its invitations are refused and its grants end at once. */
  public @NotNull CompletableFuture<AuthKey> revoke(final @NotNull String keyId) {
    return api(GatewayRequest.newBuilder()
            .setRevokeKey(RevokeKey.newBuilder().setKeyId(keyId))
            .build())
        .thenApply(GatewayResponse::getKey);
  }

  /**
   * Redeems the invitation {@code url} (or its bare token). {@code name}: the identity wanted when
   * redeeming creates one (empty: the gateway chooses); {@code community} and {@code service}: with
   * a clone invitation, where the new instance goes (the service's own name when empty).
   */
  public @NotNull CompletableFuture<Redeemed> redeem(
      final @NotNull String url,
      final @NotNull String name,
      final @NotNull String community,
      final @NotNull String service) {
    final RedeemInvitation op =
        RedeemInvitation.newBuilder()
            .setUrl(url)
            .setName(name)
            .setCommunity(community)
            .setService(service)
            .build();
    return api(GatewayRequest.newBuilder().setRedeemInvitation(op).build())
        .thenApply(GatewayResponse::getRedeemed);
  }

  /** {@code key} written {@code KEYID.SECRET}: what {@link #invitation} and the CLI read. */
  public static @NotNull String printed(final @NotNull AuthKey key) {
    return new Invitations.Key(key.getKeyId(), key.getSecret().toByteArray()).toString();
  }

  /**
   * A new invitation built on {@code key} ({@code KEYID.SECRET}), offline: {@code
   * troupe://HOSTPORT/i/TOKEN}, a fresh one each time.
   *
   * @throws IllegalArgumentException when {@code key} is not a key
   */
  public static @NotNull String invitation(
      final @NotNull String key, final @NotNull String hostPort) {
    final Invitations.Key parsed =
        Invitations.parseKey(key)
            .orElseThrow(
                () -> new IllegalArgumentException("not a key (KEYID.SECRET): '" + key + "'"));
    return Invitations.url(hostPort, Invitations.invite(parsed));
  }

  private CompletableFuture<GatewayResponse> api(final GatewayRequest request) {
    return client.gatewayApi(request);
  }
}
