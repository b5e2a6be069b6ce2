package io.troupe.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.contract.CoapKeys;
import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.IssueCoapKey;
import io.troupe.proto.v1.ResetIdentity;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ResetIdentity: a new password and key, no machine binding, saved; who may ask (R13). */
class IdentityResetTest {

  private static final CoapKeys KEYS = CoapKeys.of(new byte[32]);

  private final RouterFixture f = new RouterFixture();
  private final GatewayRouter router =
      new GatewayRouter(f.config, RouterFixture.LOGINS, f.clock, f.store, Optional.of(KEYS));
  private final Principal admin = new Principal("admin", IdentityRole.ADMIN, "admin-cli");
  private final Principal bob = new Principal("bob", IdentityRole.CONSUMER, "bob-1");
  private final Logins logins = new Logins(router, RouterFixture.LOGINS, f.clock, Runnable::run);

  @BeforeEach
  void identities() {
    router.addAdmin("admin", "s3cret");
    for (final String name : new String[] {"bob", "carol"}) {
      call(
          admin,
          GatewayRequest.newBuilder()
              .setAddIdentity(
                  AddIdentity.newBuilder()
                      .setName(name)
                      .setRole(IdentityRole.CONSUMER)
                      .setPassword("pw-" + name))
              .build());
    }
  }

  private GatewayResponse call(final Principal who, final GatewayRequest request) {
    return router.onApi(who, request.toByteString()).response();
  }

  private GatewayResponse reset(final Principal who, final String name) {
    return call(
        who,
        GatewayRequest.newBuilder()
            .setResetIdentity(ResetIdentity.newBuilder().setName(name))
            .build());
  }

  private LoginResult login(final String user, final String password) {
    return logins
        .login(
            new LoginAttempt(
                user + "-1",
                Optional.of(user),
                Optional.of(password.getBytes(StandardCharsets.UTF_8)),
                "10.0.0.1"))
        .join();
  }

  private IdentityRecord saved(final String name) {
    return f.store.load().orElseThrow().getIdentitiesList().stream()
        .filter(i -> i.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void reset_byAdmin_returnsANewPasswordAndKeyOnce_andTheOldPasswordFails() {
    final GatewayResponse r = reset(admin, "bob");

    assertThat(r.getStatus()).isEqualTo(200);
    final String password = r.getIdentity().getPassword();
    assertThat(password).hasSizeGreaterThan(20);
    assertThat(r.getIdentity().getKey()).isEqualTo(KEYS.keyOf("bob", 1));
    assertThat(login("bob", "pw-bob").status()).isEqualTo(Status.UNAUTHORIZED);
    assertThat(login("bob", password).isAdmitted()).isTrue();
  }

  @Test
  void reset_isSaved_withTheNextKeyGenerationAndNoMachine() {
    reset(admin, "bob");
    reset(admin, "bob");

    assertThat(saved("bob").getKeyGeneration()).isEqualTo(2);
    assertThat(saved("bob").getMachinePublicKey().isEmpty()).isTrue();
    assertThat(router.keyGeneration("bob")).hasValue(2);
    assertThat(
            call(
                    admin,
                    GatewayRequest.newBuilder()
                        .setIssueCoapKey(IssueCoapKey.newBuilder().setName("bob"))
                        .build())
                .getCoapKey()
                .getKey())
        .isEqualTo(KEYS.keyOf("bob", 2));
  }

  @Test
  void reset_ofItself_isAllowed_ofAnotherIsRefused403() {
    assertThat(reset(bob, "").getIdentity().getName()).isEqualTo("bob");
    assertThat(reset(bob, "bob").getStatus()).isEqualTo(200);

    final GatewayResponse refused = reset(bob, "carol");

    assertThat(refused.getStatus()).isEqualTo(403);
    assertThat(saved("carol").getKeyGeneration()).isZero();
    assertThat(login("carol", "pw-carol").isAdmitted()).isTrue();
  }

  @Test
  void reset_ofNoSuchIdentity_is404() {
    assertThat(reset(admin, "nobody").getStatus()).isEqualTo(404);
  }

  @Test
  void reset_keepsTheRoleAndEndsTheIdentitysOtherSessions() {
    router.onConnected(new Principal("bob", IdentityRole.CONSUMER, "bob-2"), 1);
    router.onConnected(bob, 2);

    final ApiResult r =
        router.onApi(
            bob,
            GatewayRequest.newBuilder()
                .setResetIdentity(ResetIdentity.getDefaultInstance())
                .build()
                .toByteString());

    assertThat(r.response().getIdentity().getRole()).isEqualTo(IdentityRole.CONSUMER);
    assertThat(r.directives())
        .containsExactly(new Directive.Disconnect("bob-2", "the identity 'bob' was reset"));
  }
}
