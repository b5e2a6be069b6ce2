package io.troupe.router.internal.api;

import static io.troupe.router.RouterFixture.device;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityInfo;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.ListIdentities;
import io.troupe.router.Principal;
import io.troupe.router.RouterFixture;
import org.junit.jupiter.api.Test;

class IdentityListTest {

  private static final GatewayRequest LIST =
      GatewayRequest.newBuilder().setListIdentities(ListIdentities.getDefaultInstance()).build();

  private final RouterFixture f = new RouterFixture();
  private final Principal admin = new Principal("admin", IdentityRole.ADMIN, "admin-cli");

  private void add(final String name, final IdentityRole role, final String password) {
    f.api(
        admin,
        GatewayRequest.newBuilder()
            .setAddIdentity(
                AddIdentity.newBuilder().setName(name).setRole(role).setPassword(password))
            .build());
  }

  @Test
  void list_asAdmin_namesEveryIdentityWithItsRoleByName_andNoPassword() {
    f.router.addAdmin("admin", "s3cret");
    add("dev2", IdentityRole.DEVICE, "");
    add("bob", IdentityRole.CONSUMER, "pw-bob");

    final GatewayResponse listed = f.api(admin, LIST);

    assertThat(listed.getStatus()).isEqualTo(200);
    assertThat(listed.getIdentities().getIdentitiesList())
        .containsExactly(
            info("admin", IdentityRole.ADMIN),
            info("bob", IdentityRole.CONSUMER),
            info("dev2", IdentityRole.DEVICE));
  }

  @Test
  void list_asAnyoneElse_isRefusedWith403() {
    add("bob", IdentityRole.CONSUMER, "pw-bob");
    final GatewayResponse refused = f.api(device("dev1"), LIST);
    assertThat(refused.getStatus()).isEqualTo(403);
    assertThat(refused.hasIdentities()).isFalse();
  }

  @Test
  void list_afterRemove_leavesTheRemovedOut() {
    add("bob", IdentityRole.CONSUMER, "pw-bob");
    add("carol", IdentityRole.CONSUMER, "pw-carol");
    f.api(
        admin,
        GatewayRequest.newBuilder()
            .setRemoveIdentity(io.troupe.proto.v1.RemoveIdentity.newBuilder().setName("bob"))
            .build());
    assertThat(f.api(admin, LIST).getIdentities().getIdentitiesList())
        .extracting(IdentityInfo::getName)
        .containsExactly("carol");
  }

  private static IdentityInfo info(final String name, final IdentityRole role) {
    return IdentityInfo.newBuilder().setName(name).setRole(role).build();
  }
}
