package io.troupe.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.contract.Invitations;
import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.AuthKey;
import io.troupe.proto.v1.CreateKey;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.KeyAction;
import io.troupe.proto.v1.RedeemInvitation;
import io.troupe.proto.v1.RevokeKey;
import java.util.List;
import java.util.Optional;

/**
 * A router with keys and invitations (R14): {@code owner} owns community {@code demo} and serves
 * {@code echo.demo} and {@code other.demo}; {@code carol} is a consumer, {@code dev2} a device.
 */
final class TrustFixture {

  static final Principal OWNER = RouterFixture.device("owner");
  static final Principal CAROL = new Principal("carol", IdentityRole.CONSUMER, "carol-1");
  static final Principal DEV2 = RouterFixture.device("dev2");
  static final Principal ADMIN = new Principal("admin", IdentityRole.ADMIN, "admin-1");
  static final Principal INVITEE =
      new Principal(Invitations.INVITEE_USER, IdentityRole.INVITEE, "guest-session");

  final RouterFixture f = new RouterFixture();

  TrustFixture() {
    f.router.addAdmin("admin", "s3cret");
    add("carol", IdentityRole.CONSUMER);
    add("dev2", IdentityRole.DEVICE);
    add("owner", IdentityRole.DEVICE);
    f.register("owner", "demo", "echo");
    f.register("owner", "demo", "other");
    f.online("owner", "demo");
  }

  void add(final String name, final IdentityRole role) {
    final GatewayResponse r =
        f.api(
            ADMIN,
            GatewayRequest.newBuilder()
                .setAddIdentity(
                    AddIdentity.newBuilder().setName(name).setRole(role).setPassword("pw-" + name))
                .build());
    assertThat(r.getStatus()).as(r.getReason()).isEqualTo(201);
  }

  GatewayResponse createKey(
      final Principal who, final String address, final int uses, final KeyAction... actions) {
    return f.api(
        who,
        GatewayRequest.newBuilder()
            .setCreateKey(
                CreateKey.newBuilder()
                    .setAddress(address)
                    .addAllActions(List.of(actions))
                    .setUses(uses))
            .build());
  }

  /** A key {@code owner} created for {@code address}, as a device holds it. */
  Invitations.Key key(final String address, final int uses, final KeyAction... actions) {
    final GatewayResponse r = createKey(OWNER, address, uses, actions);
    assertThat(r.getStatus()).as(r.getReason()).isEqualTo(201);
    final AuthKey k = r.getKey();
    return new Invitations.Key(k.getKeyId(), k.getSecret().toByteArray());
  }

  /** A fresh invitation's URL built offline on {@code key}. */
  static String invite(final Invitations.Key key) {
    return Invitations.url("gw.example", Invitations.invite(key));
  }

  GatewayResponse redeem(final Principal who, final String url) {
    return redeem(who, RedeemInvitation.newBuilder().setUrl(url));
  }

  GatewayResponse redeem(final Principal who, final RedeemInvitation.Builder op) {
    return f.api(who, GatewayRequest.newBuilder().setRedeemInvitation(op).build());
  }

  GatewayResponse revoke(final Principal who, final String keyId) {
    return f.api(
        who,
        GatewayRequest.newBuilder().setRevokeKey(RevokeKey.newBuilder().setKeyId(keyId)).build());
  }

  /** What {@code who} gets when it calls {@code address}: the status of the router's decision. */
  int call(final Principal who, final String address) {
    return decide(who, address) instanceof Decision.Answer a ? a.code() : 200;
  }

  /** The reason of a refused call. */
  String refusal(final Principal who, final String address) {
    return ((Decision.Answer) decide(who, address)).reason();
  }

  private Decision decide(final Principal who, final String address) {
    return f.router.onRequest(
        new ConsumerRequest(
            who,
            address,
            Optional.of("troupe/r/" + who.clientId() + "/resp"),
            com.google.protobuf.ByteString.copyFromUtf8("corr"),
            com.google.protobuf.ByteString.copyFromUtf8("hello"),
            "text/plain",
            java.util.Map.of(),
            Optional.empty()));
  }
}
