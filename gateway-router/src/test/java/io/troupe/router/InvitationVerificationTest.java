package io.troupe.router;

import static io.troupe.router.TrustFixture.CAROL;
import static io.troupe.router.TrustFixture.DEV2;
import static io.troupe.router.TrustFixture.invite;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.contract.Invitations;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.KeyAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An invitation (R14) is redeemed only when it is authentic, live and new; each refusal has its
 * status, and a refusal uses nothing up.
 */
class InvitationVerificationTest {

  private final TrustFixture t = new TrustFixture();
  private final java.util.List<RouterMetrics.KeyRefusal> refused = new java.util.ArrayList<>();

  @org.junit.jupiter.api.BeforeEach
  void countRefusals() {
    t.f.router.reportTo(
        new RouterMetrics() {
          @Override
          public void keyRefused(final KeyRefusal why) {
            refused.add(why);
          }
        },
        com.google.common.base.Ticker.systemTicker());
  }

  @Test
  void redeem_valid_is201_andGrantsTheKeysActions() {
    final GatewayResponse r = t.redeem(CAROL, invite(t.key("echo.demo", 1, KeyAction.USE)));
    assertThat(r.getStatus()).as(r.getReason()).isEqualTo(201);
    assertThat(r.getRedeemed().getGrantedList()).containsExactly(KeyAction.USE);
    assertThat(r.getRedeemed().getAddress()).isEqualTo("echo.demo");
  }

  @Test
  void redeem_forgedOnAnotherSigningSecret_is403() {
    final byte[] other = new byte[32];
    other[5] = 9;
    final Invitations.Key keyId = t.key("echo.demo", 1, KeyAction.USE);
    final Invitations.Key forged = Invitations.of(other).key(keyId.keyId());
    final GatewayResponse r = t.redeem(CAROL, invite(forged));
    assertThat(r.getStatus()).isEqualTo(403);
    assertThat(r.getReason()).isEqualTo("the invitation is not valid");
    assertThat(refused).containsExactly(RouterMetrics.KeyRefusal.FORGED);
  }

  @Test
  void redeem_unknownKeyId_readsLikeABadMac() {
    final Invitations.Key unknown = RouterFixture.INVITATIONS.key(Invitations.newKeyId());
    final GatewayResponse r = t.redeem(CAROL, invite(unknown));
    assertThat(r.getStatus()).isEqualTo(403);
    assertThat(r.getReason()).isEqualTo("the invitation is not valid");
  }

  @Test
  void redeem_tamperedNonce_is403_andTheGenuineOneStillWorks() {
    final Invitations.Token genuine = Invitations.invite(t.key("echo.demo", 1, KeyAction.USE));
    final String nonce = genuine.nonce();
    final String flipped = (nonce.charAt(0) == 'A' ? "B" : "A") + nonce.substring(1);
    final Invitations.Token tampered =
        new Invitations.Token(genuine.keyId(), flipped, genuine.mac());
    assertThat(t.redeem(CAROL, tampered.toString()).getStatus()).isEqualTo(403);
    assertThat(t.redeem(CAROL, genuine.toString()).getStatus()).isEqualTo(201);
  }

  @Test
  void redeem_malformed_is400() {
    final GatewayResponse r = t.redeem(CAROL, "troupe://gw/i/not-a-token");
    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(r.getReason()).contains("KEYID.NONCE.MAC");
  }

  @Test
  void redeem_afterTheKeyExpired_is410() {
    final Invitations.Key key = t.key("echo.demo", 1, KeyAction.USE);
    t.f.clock.advance(Duration.ofDays(7));
    final GatewayResponse r = t.redeem(CAROL, invite(key));
    assertThat(r.getStatus()).isEqualTo(410);
    assertThat(r.getReason()).contains("expired");
    assertThat(refused).containsExactly(RouterMetrics.KeyRefusal.EXPIRED);
  }

  @Test
  void redeem_revokedKey_is410() {
    final Invitations.Key key = t.key("echo.demo", 1, KeyAction.USE);
    assertThat(t.revoke(TrustFixture.OWNER, key.keyId()).getStatus()).isEqualTo(200);
    final GatewayResponse r = t.redeem(CAROL, invite(key));
    assertThat(r.getStatus()).isEqualTo(410);
    assertThat(r.getReason()).contains("revoked");
  }

  @Test
  void redeem_pastItsUses_is410UsedUp() {
    final Invitations.Key key = t.key("echo.demo", 2, KeyAction.USE);
    assertThat(t.redeem(CAROL, invite(key)).getStatus()).isEqualTo(201);
    assertThat(t.redeem(DEV2, invite(key)).getStatus()).isEqualTo(201);
    final GatewayResponse third = t.redeem(CAROL, invite(key));
    assertThat(third.getStatus()).isEqualTo(410);
    assertThat(third.getReason()).contains("used up");
    assertThat(refused).containsExactly(RouterMetrics.KeyRefusal.USED_UP);
  }

  @Test
  void redeem_sameInvitationTwice_is409_andUsesNothingUp() {
    final Invitations.Key key = t.key("echo.demo", 2, KeyAction.USE);
    final String url = invite(key);
    assertThat(t.redeem(CAROL, url).getStatus()).isEqualTo(201);
    final GatewayResponse replay = t.redeem(DEV2, url);
    assertThat(replay.getStatus()).isEqualTo(409);
    assertThat(refused).containsExactly(RouterMetrics.KeyRefusal.REPLAYED);
    assertThat(t.redeem(DEV2, invite(key)).getStatus()).isEqualTo(201);
  }

  @Test
  void redeem_useKey_grantsNoOtherActionAndNoOtherService() {
    // given carol redeemed a USE key for echo.demo and dev2 a USE key too
    assertThat(t.redeem(DEV2, invite(t.key("echo.demo", 1, KeyAction.USE))).getStatus())
        .isEqualTo(201);
    // when dev2 (unscoped) keeps its own rights, but the grant names only USE on echo.demo
    final var grants =
        t.f.router.snapshot().getIdentitiesList().stream()
            .filter(i -> i.getName().equals("dev2"))
            .findFirst()
            .orElseThrow()
            .getGrantsList();
    // then
    assertThat(grants).hasSize(1);
    assertThat(grants.get(0).getAction()).isEqualTo(KeyAction.USE);
    assertThat(grants.get(0).getAddress()).isEqualTo("echo.demo");
  }

  @Test
  void inviteeLogin_validToken_admitsAnInviteeSession_badOneCountsAsAFailure() {
    final Logins logins = new Logins(t.f.router, RouterFixture.LOGINS, t.f.clock, Runnable::run);
    final String url = invite(t.key("echo.demo", 1, KeyAction.USE));
    final LoginResult ok = logins.login(attempt("guest-1", url)).join();
    assertThat(ok.isAdmitted()).isTrue();
    assertThat(ok.principal().orElseThrow().role())
        .isEqualTo(io.troupe.proto.v1.IdentityRole.INVITEE);

    final LoginResult bad = logins.login(attempt("guest-2", tampered(url))).join();
    assertThat(bad.status()).isEqualTo(Status.UNAUTHORIZED);
    LoginResult last = bad;
    for (int i = 0; i < 10 && last.status() != Status.TOO_MANY_REQUESTS; i++) {
      last = logins.login(attempt("guest-2", tampered(url))).join();
    }
    assertThat(last.status()).isEqualTo(Status.TOO_MANY_REQUESTS);
  }

  @Test
  void inviteeLogin_clientIdOfAnIdentity_isRefused() {
    final Logins logins = new Logins(t.f.router, RouterFixture.LOGINS, t.f.clock, Runnable::run);
    final String url = invite(t.key("echo.demo", 1, KeyAction.USE));
    assertThat(logins.login(attempt("owner", url)).join().isAdmitted()).isFalse();
  }

  /** {@code url} with the last character of its MAC changed. */
  private static String tampered(final String url) {
    final char last = url.charAt(url.length() - 1);
    return url.substring(0, url.length() - 1) + (last == 'A' ? 'B' : 'A');
  }

  private static LoginAttempt attempt(final String clientId, final String token) {
    return new LoginAttempt(
        clientId,
        Optional.of(Invitations.INVITEE_USER),
        Optional.of(token.getBytes(StandardCharsets.UTF_8)),
        "10.0.0.9");
  }
}
