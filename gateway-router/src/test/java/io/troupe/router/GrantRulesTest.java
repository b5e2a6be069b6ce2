package io.troupe.router;

import static io.troupe.router.TrustFixture.ADMIN;
import static io.troupe.router.TrustFixture.CAROL;
import static io.troupe.router.TrustFixture.DEV2;
import static io.troupe.router.TrustFixture.INVITEE;
import static io.troupe.router.TrustFixture.OWNER;
import static io.troupe.router.TrustFixture.invite;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.contract.Invitations;
import io.troupe.proto.v1.BrowseServices;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.KeyAction;
import io.troupe.proto.v1.ListKeys;
import io.troupe.proto.v1.RedeemInvitation;
import io.troupe.proto.v1.ServerRole;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What creating, redeeming and revoking keys (R14) grant and take away. */
class GrantRulesTest {

  private final TrustFixture t = new TrustFixture();

  @Test
  void createKey_byAnyoneButTheOwnerOrAnAdmin_is403() {
    assertThat(t.createKey(DEV2, "echo.demo", 1, KeyAction.USE).getStatus()).isEqualTo(403);
    assertThat(t.createKey(CAROL, "echo.demo", 1, KeyAction.USE).getStatus()).isEqualTo(403);
    assertThat(t.createKey(ADMIN, "echo.demo", 1, KeyAction.USE).getStatus()).isEqualTo(201);
  }

  @Test
  void createKey_badInput_is400or404_andStoresNothing() {
    assertThat(t.createKey(OWNER, "echo.demo", 1).getStatus()).isEqualTo(400);
    assertThat(t.createKey(OWNER, "echo.demo", 1001, KeyAction.USE).getStatus()).isEqualTo(400);
    assertThat(t.createKey(OWNER, "nope.demo", 1, KeyAction.USE).getStatus()).isEqualTo(404);
    final GatewayResponse tooLong =
        t.f.api(
            OWNER,
            GatewayRequest.newBuilder()
                .setCreateKey(
                    io.troupe.proto.v1.CreateKey.newBuilder()
                        .setAddress("echo.demo")
                        .addActions(KeyAction.USE)
                        .setValidSeconds(Duration.ofDays(366).toSeconds()))
                .build());
    assertThat(tooLong.getStatus()).isEqualTo(400);
    assertThat(t.f.router.snapshot().getKeysList()).isEmpty();
  }

  @Test
  void createKey_answersTheSecretOnce_listShowsNone() {
    final GatewayResponse created = t.createKey(OWNER, "echo.demo", 3, KeyAction.USE);
    assertThat(created.getKey().getSecret().size()).isEqualTo(32);
    assertThat(created.getKey().getExpiresAtMs() - created.getKey().getCreatedAtMs())
        .isEqualTo(Duration.ofDays(7).toMillis());
    final GatewayResponse listed = listKeys(OWNER);
    assertThat(listed.getKeys().getKeysList()).hasSize(1);
    assertThat(listed.getKeys().getKeys(0).getSecret().isEmpty()).isTrue();
    assertThat(listKeys(DEV2).getKeys().getKeysList()).isEmpty();
    assertThat(listKeys(ADMIN).getKeys().getKeysList()).hasSize(1);
  }

  @Test
  void createKey_pastThePerIdentityCap_is403NamingTheLimit() {
    t.f.restartWith(t.f.config.withKeys(KeyLimits.defaults().withMaxPerIdentity(2)));
    t.createKey(OWNER, "echo.demo", 1, KeyAction.USE);
    t.createKey(OWNER, "echo.demo", 1, KeyAction.USE);
    final GatewayResponse third = t.createKey(OWNER, "echo.demo", 1, KeyAction.USE);
    assertThat(third.getStatus()).isEqualTo(403);
    assertThat(third.getReason()).contains("max-keys-per-identity");
    // an expired key is no longer live and frees a place
    t.f.clock.advance(Duration.ofDays(8));
    assertThat(t.createKey(OWNER, "echo.demo", 1, KeyAction.USE).getStatus()).isEqualTo(201);
  }

  @Test
  void deadKeys_areForgottenOldestFirst_soKeysKeptStayBounded() {
    t.f.restartWith(t.f.config.withKeys(KeyLimits.defaults().withMaxPerIdentity(2)));
    for (int i = 0; i < 10; i++) {
      assertThat(t.createKey(OWNER, "echo.demo", 1, KeyAction.USE).getStatus()).isEqualTo(201);
      t.f.clock.advance(Duration.ofDays(8)); // each expires before the next is created
    }
    // each creation kept the newest two dead keys beside the one it made: 3 of the 10, the newest
    final var kept = listKeys(OWNER).getKeys().getKeysList();
    assertThat(kept).hasSize(3);
    assertThat(t.f.router.snapshot().getKeysList()).hasSize(3);
    assertThat(kept.stream().mapToLong(k -> k.getCreatedAtMs()).min().getAsLong())
        .isEqualTo(t.f.clock.millis() - Duration.ofDays(8).toMillis() * 3);
  }

  @Test
  void createKey_pastTheGlobalCap_is403NamingTheLimit() {
    t.f.restartWith(t.f.config.withKeys(KeyLimits.defaults().withMaxTotal(1)));
    t.createKey(OWNER, "echo.demo", 1, KeyAction.USE);
    final GatewayResponse second = t.createKey(ADMIN, "echo.demo", 1, KeyAction.USE);
    assertThat(second.getStatus()).isEqualTo(403);
    assertThat(second.getReason()).contains("max-keys");
  }

  @Test
  void use_inviteeWithoutIdentity_getsAScopedConsumer_thatCallsOnlyTheGrantedService() {
    final GatewayResponse r =
        t.redeem(
            INVITEE,
            RedeemInvitation.newBuilder()
                .setUrl(invite(t.key("echo.demo", 1, KeyAction.USE)))
                .setName("newbie"));
    assertThat(r.getStatus()).as(r.getReason()).isEqualTo(201);
    assertThat(r.getRedeemed().getIdentity().getName()).isEqualTo("newbie");
    assertThat(r.getRedeemed().getIdentity().getRole()).isEqualTo(IdentityRole.CONSUMER);
    assertThat(r.getRedeemed().getIdentity().getPassword()).hasSize(24);
    assertThat(identity("newbie").getScoped()).isTrue();

    final Principal newbie = new Principal("newbie", IdentityRole.CONSUMER, "newbie-1");
    assertThat(t.call(newbie, "echo.demo")).isEqualTo(200);
    assertThat(t.call(newbie, "other.demo")).isEqualTo(403);
    assertThat(t.refusal(newbie, "other.demo"))
        .contains("may call only the services its invitations granted (use: echo.demo)");
  }

  @Test
  void use_unscopedConsumer_keepsItsRights() {
    t.redeem(CAROL, invite(t.key("echo.demo", 1, KeyAction.USE)));
    assertThat(t.call(CAROL, "other.demo")).isEqualTo(200);
  }

  @Test
  void invitee_mayOnlyRedeem() {
    final GatewayResponse browse =
        t.f.api(
            INVITEE,
            GatewayRequest.newBuilder()
                .setBrowseServices(BrowseServices.getDefaultInstance())
                .build());
    assertThat(browse.getStatus()).isEqualTo(403);
    assertThat(t.call(INVITEE, "echo.demo")).isEqualTo(403);
  }

  @Test
  void invitee_nameTaken_is409_andTheInvitationStaysUnused() {
    final Invitations.Key key = t.key("echo.demo", 1, KeyAction.USE);
    final String url = invite(key);
    final GatewayResponse taken =
        t.redeem(INVITEE, RedeemInvitation.newBuilder().setUrl(url).setName("carol"));
    assertThat(taken.getStatus()).isEqualTo(409);
    assertThat(t.redeem(INVITEE, url).getStatus()).isEqualTo(201);
  }

  @Test
  void revoke_endsAUseGrantAtTheNextRequest() {
    final Invitations.Key key = t.key("echo.demo", 1, KeyAction.USE);
    t.redeem(INVITEE, RedeemInvitation.newBuilder().setUrl(invite(key)).setName("newbie"));
    final Principal newbie = new Principal("newbie", IdentityRole.CONSUMER, "newbie-1");
    assertThat(t.call(newbie, "echo.demo")).isEqualTo(200);
    assertThat(t.revoke(CAROL, key.keyId()).getStatus()).isEqualTo(403);
    assertThat(t.revoke(OWNER, key.keyId()).getStatus()).isEqualTo(200);
    assertThat(t.call(newbie, "echo.demo")).isEqualTo(403);
    assertThat(identity("newbie").getGrantsList()).isEmpty();
  }

  @Test
  void host_letsTheDeviceInAsAssignedSecondary_revokeTakesItAllBack() {
    // given dev2, not admitted to the closed community demo, redeems a HOST invitation
    final Invitations.Key key = t.key("echo.demo", 1, KeyAction.HOST);
    final GatewayResponse r = t.redeem(DEV2, invite(key));
    assertThat(r.getStatus()).as(r.getReason()).isEqualTo(201);
    // when it joins and registers
    final GatewayResponse registered = t.f.register("dev2", "demo", "echo");
    // then it serves as a secondary
    assertThat(registered.getStatus()).as(registered.getReason()).isIn(200, 201);
    assertThat(registered.getRegistration().getRole()).isEqualTo(ServerRole.SECONDARY);
    assertThat(t.f.router.isMember("demo", "dev2")).isTrue();

    assertThat(t.revoke(OWNER, key.keyId()).getStatus()).isEqualTo(200);
    assertThat(t.f.router.isMember("demo", "dev2")).isFalse();
    assertThat(
            t.f.router.snapshot().getCommunitiesList().get(0).getServicesList().stream()
                .flatMap(s -> s.getServersList().stream())
                .anyMatch(s -> s.getDevice().equals("dev2")))
        .isFalse();
  }

  @Test
  void host_byAConsumer_is403_andUsesNothing() {
    final Invitations.Key key = t.key("echo.demo", 1, KeyAction.HOST);
    final String url = invite(key);
    assertThat(t.redeem(CAROL, url).getStatus()).isEqualTo(403);
    assertThat(t.redeem(DEV2, url).getStatus()).isEqualTo(201);
  }

  @Test
  void scopedHostDevice_mayServeOnlyWhatItWasInvitedTo() {
    final GatewayResponse r =
        t.redeem(
            INVITEE,
            RedeemInvitation.newBuilder()
                .setUrl(invite(t.key("echo.demo", 1, KeyAction.HOST)))
                .setName("helper"));
    assertThat(r.getRedeemed().getIdentity().getRole()).isEqualTo(IdentityRole.DEVICE);
    assertThat(t.f.register("helper", "demo", "echo").getStatus()).isIn(200, 201);
    final GatewayResponse other =
        t.f.api(
            RouterFixture.device("helper"),
            GatewayRequest.newBuilder()
                .setRegisterService(
                    io.troupe.proto.v1.RegisterService.newBuilder()
                        .setCommunity("demo")
                        .setService("other"))
                .build());
    assertThat(other.getStatus()).isEqualTo(403);
  }

  @Test
  void clone_makesANewInstanceInTheRedeemersCommunity_withTheRuleAndItAsPrimary() {
    final GatewayResponse r =
        t.redeem(
            DEV2,
            RedeemInvitation.newBuilder()
                .setUrl(invite(t.key("echo.demo", 1, KeyAction.CLONE)))
                .setCommunity("lab"));
    assertThat(r.getStatus()).as(r.getReason()).isEqualTo(201);
    assertThat(r.getRedeemed().getCloneAddress()).isEqualTo("lab.echo");
    assertThat(r.getRedeemed().getCommunity()).isEqualTo("lab");
    final var lab =
        t.f.router.snapshot().getCommunitiesList().stream()
            .filter(c -> c.getName().equals("lab"))
            .findFirst()
            .orElseThrow();
    assertThat(lab.getOwner()).isEqualTo("dev2");
    assertThat(lab.getServices(0).getServers(0).getDevice()).isEqualTo("dev2");
    assertThat(lab.getServices(0).getServers(0).getRole()).isEqualTo(ServerRole.PRIMARY);
  }

  @Test
  void clone_intoSomeoneElsesCommunity_is403_andWithoutCommunity_is400() {
    final String url = invite(t.key("echo.demo", 1, KeyAction.CLONE));
    assertThat(
            t.redeem(DEV2, RedeemInvitation.newBuilder().setUrl(url).setCommunity("demo"))
                .getStatus())
        .isEqualTo(403);
    assertThat(t.redeem(DEV2, url).getStatus()).isEqualTo(400);
    assertThat(
            t.redeem(DEV2, RedeemInvitation.newBuilder().setUrl(url).setCommunity("lab"))
                .getStatus())
        .isEqualTo(201);
  }

  @Test
  void keysAndGrants_surviveARestart() {
    final Invitations.Key key = t.key("echo.demo", 2, KeyAction.USE);
    final String used = invite(key);
    t.redeem(INVITEE, RedeemInvitation.newBuilder().setUrl(used).setName("newbie"));
    t.f.restart();
    assertThat(t.redeem(CAROL, used).getStatus()).isEqualTo(409);
    assertThat(identity("newbie").getGrantsCount()).isEqualTo(1);
    assertThat(t.call(new Principal("newbie", IdentityRole.CONSUMER, "n-1"), "other.demo"))
        .isEqualTo(403);
    assertThat(t.redeem(CAROL, invite(key)).getStatus()).isEqualTo(201);
  }

  private GatewayResponse listKeys(final Principal who) {
    return t.f.api(
        who, GatewayRequest.newBuilder().setListKeys(ListKeys.getDefaultInstance()).build());
  }

  private IdentityRecord identity(final String name) {
    return t.f.router.snapshot().getIdentitiesList().stream()
        .filter(i -> i.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
