package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static io.troupe.router.RouterFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.BrowseServices;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.NamingMode;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.ServiceInfo;
import io.troupe.proto.v1.StartService;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Browse and start (R18): the catalogue of installable services and starting one elsewhere. */
class CatalogueTest {

  private final RouterFixture f = new RouterFixture();

  @BeforeEach
  void aShopIsInstallable_aDiaryIsNot() {
    f.join("vendor", "market");
    f.api(
        device("vendor"),
        GatewayRequest.newBuilder()
            .setRegisterService(
                RegisterService.newBuilder()
                    .setCommunity("market")
                    .setService("shoppinglist")
                    .setServiceDescriptor(
                        ServiceDescriptor.newBuilder().setVersion(3).setInstallable(true)))
            .build());
    f.register("vendor", "market", "diary");
  }

  private static GatewayRequest catalogue() {
    return GatewayRequest.newBuilder()
        .setBrowseServices(BrowseServices.newBuilder().setCatalogue(true))
        .build();
  }

  private static GatewayRequest start(final String address, final String community) {
    return start(StartService.newBuilder().setAddress(address).setCommunity(community));
  }

  private static GatewayRequest start(final StartService.Builder op) {
    return GatewayRequest.newBuilder().setStartService(op).build();
  }

  @Test
  void browse_listsOnlyInstallableServices_withTheirDescriptors() {
    final GatewayResponse r = f.api(RouterFixture.consumer("c1"), catalogue());
    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(r.getBrowse().getCatalogueList())
        .extracting(ServiceInfo::getAddress)
        .containsExactly("shoppinglist.market");
    assertThat(r.getBrowse().getCatalogue(0).getServiceDescriptor().getVersion()).isEqualTo(3);
  }

  @Test
  void start_createsClosedCommunity_address_andTableWithRequesterAsPrimary() {
    final GatewayResponse r = f.api(device("ann"), start("shoppinglist.market", "abc"));

    assertThat(r.getStatus()).as(r.getReason()).isEqualTo(201);
    assertThat(r.getRegistration().getAddress()).isEqualTo("abc.shoppinglist");
    assertThat(r.getRegistration().getRole()).isEqualTo(ServerRole.PRIMARY);
    final var community =
        f.router.snapshot().getCommunitiesList().stream()
            .filter(c -> c.getName().equals("abc"))
            .findFirst()
            .orElseThrow();
    assertThat(community.getOwner()).isEqualTo("ann");
    assertThat(community.getOpen()).isFalse();
    assertThat(community.getServices(0).getRule().getNaming()).isEqualTo(NamingMode.SUBDOMAIN);
    assertThat(community.getServices(0).getServiceDescriptor().getInstallable()).isFalse();
    assertThat(
            f.api(
                    device("mallory"),
                    GatewayRequest.newBuilder()
                        .setJoinCommunity(JoinCommunity.newBuilder().setCommunity("abc"))
                        .build())
                .getStatus())
        .isEqualTo(403);

    f.online("ann", "abc");
    assertThat(((Decision.Forward) f.router.onRequest(request("abc.shoppinglist"))).device())
        .isEqualTo("ann");
  }

  @Test
  void start_thenMembersServe_asSecondaries_andSurviveRestart() {
    f.api(
        device("ann"),
        start(
            StartService.newBuilder()
                .setAddress("shoppinglist.market")
                .setCommunity("abc")
                .addMembers("bob")));
    final GatewayResponse bob = f.register("bob", "abc", "shoppinglist");
    assertThat(bob.getRegistration().getRole()).isEqualTo(ServerRole.SECONDARY);
    assertThat(bob.getRegistration().getAddress()).isEqualTo("abc.shoppinglist");

    f.restart();
    f.online("bob", "abc");
    assertThat(((Decision.Forward) f.router.onRequest(request("abc.shoppinglist"))).device())
        .isEqualTo("bob");
  }

  @Test
  void start_withDomainNaming_givesServiceDotCommunity() {
    final GatewayResponse r =
        f.api(
            device("ann"),
            start(
                StartService.newBuilder()
                    .setAddress("shoppinglist.market")
                    .setCommunity("abc")
                    .setNaming(NamingMode.DOMAIN)));
    assertThat(r.getRegistration().getAddress()).isEqualTo("shoppinglist.abc");
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("a consumer", RouterFixture.consumer("c1"), "shoppinglist.market", "abc", 403),
        Arguments.of("a service not in the catalogue", device("ann"), "diary.market", "abc", 404),
        Arguments.of("an unknown address", device("ann"), "nope.market", "abc", 404),
        Arguments.of("an existing community", device("ann"), "shoppinglist.market", "market", 409),
        Arguments.of("a bad community name", device("ann"), "shoppinglist.market", "A B", 400));
  }

  @ParameterizedTest(name = "{0} is refused with {4}")
  @MethodSource("refusals")
  void start_refused_createsNothing(
      final String why,
      final Principal who,
      final String address,
      final String community,
      final int status) {
    final int before = f.router.snapshot().getCommunitiesCount();
    final GatewayResponse r = f.api(who, start(address, community));
    assertThat(r.getStatus()).as(r.getReason()).isEqualTo(status);
    assertThat(f.router.snapshot().getCommunitiesCount()).isEqualTo(before);
  }

  @Test
  void start_byAnAdmin_isAllowed() {
    final Principal admin = new Principal("admin", IdentityRole.ADMIN, "admin-cli");
    assertThat(f.api(admin, start("shoppinglist.market", "abc")).getStatus()).isEqualTo(201);
  }
}
