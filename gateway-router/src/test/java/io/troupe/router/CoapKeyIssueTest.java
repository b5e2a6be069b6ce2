package io.troupe.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.contract.CoapKeys;
import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.IssueCoapKey;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CoapKeyIssueTest {

  private static final CoapKeys KEYS = CoapKeys.of(filled(7));
  private final Principal admin = new Principal("admin", IdentityRole.ADMIN, "admin-cli");
  private final Principal alice = new Principal("alice", IdentityRole.CONSUMER, "alice-1");
  private final RouterFixture f = new RouterFixture();
  private final GatewayRouter router =
      new GatewayRouter(f.config, RouterFixture.LOGINS, f.clock, f.store, Optional.of(KEYS));

  private GatewayResponse call(final Principal who, final String name) {
    return router
        .onApi(
            who,
            GatewayRequest.newBuilder()
                .setIssueCoapKey(IssueCoapKey.newBuilder().setName(name))
                .build()
                .toByteString())
        .response();
  }

  private void add(final String name) {
    router.onApi(
        admin,
        GatewayRequest.newBuilder()
            .setAddIdentity(AddIdentity.newBuilder().setName(name).setRole(IdentityRole.CONSUMER))
            .build()
            .toByteString());
  }

  @Test
  void admin_getsAnyIdentitysKey_theOneDerivedFromTheMasterKey() {
    add("alice");
    final GatewayResponse r = call(admin, "alice");
    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(r.getCoapKey().getIdentity()).isEqualTo("alice");
    assertThat(r.getCoapKey().getKey()).isEqualTo(KEYS.keyOf("alice"));
  }

  @Test
  void identity_getsItsOwn_byNameOrWithNone() {
    add("alice");
    assertThat(call(alice, "").getCoapKey().getKey()).isEqualTo(KEYS.keyOf("alice"));
    assertThat(call(alice, "alice").getCoapKey().getKey()).isEqualTo(KEYS.keyOf("alice"));
  }

  @Test
  void someoneElsesKey_is403_unknownIdentity_is404() {
    add("alice");
    add("bob");
    final GatewayResponse other = call(alice, "bob");
    assertThat(other.getStatus()).isEqualTo(403);
    assertThat(other.hasCoapKey()).isFalse();
    assertThat(call(admin, "nobody").getStatus()).isEqualTo(404);
  }

  @Test
  void withoutMasterKey_is501_saysCoapIsDisabled() {
    final GatewayResponse r = f.api(admin, request("admin"));
    assertThat(r.getStatus()).isEqualTo(501);
    assertThat(r.getReason()).contains("CoAP");
  }

  private static GatewayRequest request(final String name) {
    return GatewayRequest.newBuilder()
        .setIssueCoapKey(IssueCoapKey.newBuilder().setName(name))
        .build();
  }

  private static byte[] filled(final int value) {
    final byte[] b = new byte[32];
    Arrays.fill(b, (byte) value);
    return b;
  }
}
