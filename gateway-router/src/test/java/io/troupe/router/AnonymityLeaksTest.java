package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.contract.Topics;
import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.BrowseServices;
import io.troupe.proto.v1.CommunityInfo;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.ServiceInfo;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Nothing a consumer or member receives names a server the service hides (issue 11, finding 6):
 * browse, the catalogue, sync directives, and the status and descriptor topics a member may
 * subscribe to.
 */
class AnonymityLeaksTest {

  private final RouterFixture f = new RouterFixture();

  /** dev4 owns demo and serves an installable echo at {@code anonymity}; dev5 serves it too. */
  private void echo(final Anonymity anonymity) {
    f.register(
        "dev4",
        RegisterService.newBuilder()
            .setCommunity("demo")
            .setService("echo")
            .setRule(DistributionRule.newBuilder().setAnonymity(anonymity))
            .setServiceDescriptor(
                ServiceDescriptor.newBuilder()
                    .setDeviceId("dev4")
                    .setVersion(1)
                    .setInstallable(true)));
    f.register("dev5", "demo", "echo");
  }

  private CommunityInfo browsed(final Principal who) {
    return f.api(
            who,
            GatewayRequest.newBuilder()
                .setBrowseServices(BrowseServices.newBuilder().setCommunity("demo"))
                .build())
        .getBrowse()
        .getCommunities(0);
  }

  private ServiceInfo catalogued() {
    return f.api(
            RouterFixture.consumer("c1"),
            GatewayRequest.newBuilder()
                .setBrowseServices(BrowseServices.newBuilder().setCatalogue(true))
                .build())
        .getBrowse()
        .getCatalogue(0);
  }

  @Test
  void anonymousToAll_browse_namesTheOwnerToNeitherANonMemberNorAMember() {
    echo(Anonymity.ANONYMOUS_TO_ALL);

    assertThat(browsed(RouterFixture.consumer("c1")).getOwner()).isEmpty();
    assertThat(browsed(device("dev5")).getOwner()).isEmpty();
    assertThat(browsed(device("dev4")).getOwner()).isEqualTo("dev4");
  }

  @Test
  void anonymousToConsumers_browse_namesTheOwnerToMembersOnly() {
    echo(Anonymity.ANONYMOUS_TO_CONSUMERS);

    assertThat(browsed(RouterFixture.consumer("c1")).getOwner()).isEmpty();
    assertThat(browsed(device("dev5")).getOwner()).isEqualTo("dev4");
  }

  @Test
  void named_browse_namesTheOwner() {
    echo(Anonymity.NAMED);

    assertThat(browsed(RouterFixture.consumer("c1")).getOwner()).isEqualTo("dev4");
  }

  @Test
  void anonymousToConsumers_catalogue_showsNoDeviceIdOfTheService() {
    echo(Anonymity.ANONYMOUS_TO_CONSUMERS);

    final ServiceInfo info = catalogued();

    assertThat(info.getAddress()).isEqualTo("echo.demo");
    assertThat(info.getServiceDescriptor().getDeviceId()).isNotEqualTo("dev4");
    assertThat(info.toString()).doesNotContain("dev4").doesNotContain("dev5");
  }

  @Test
  void named_catalogue_showsThePublisher() {
    echo(Anonymity.NAMED);

    assertThat(catalogued().getServiceDescriptor().getDeviceId()).isEqualTo("dev4");
  }

  @ParameterizedTest(name = "{0} subscribing {1}: {2}")
  @CsvSource({
    "dev5, troupe/c/demo/#, false",
    "dev5, troupe/c/demo/status/+, false",
    "dev5, troupe/c/demo/status/dev4, false",
    "dev5, troupe/c/demo/+/+, false",
    "dev5, troupe/c/demo/svc/echo/descriptor/+, false",
    "dev5, troupe/c/demo/svc/echo/#, false",
    "dev5, troupe/c/demo/svc/+/+, false",
    "dev5, troupe/c/demo/svc/echo/servers, true",
    "dev5, troupe/c/demo/svc/+/servers, true",
    "dev5, troupe/c/demo/status/dev5, true",
    "dev5, troupe/c/demo/svc/echo/descriptor/dev5, true",
    "dev4, troupe/c/demo/#, true",
  })
  void anonymousToAll_aMemberCannotSubscribeToTopicsNamingOtherServers(
      final String device, final String filter, final boolean allowed) {
    echo(Anonymity.ANONYMOUS_TO_ALL);
    final AccessControl access = new AccessControl(Topics.withDefaultRoot(), f.router.members());

    assertThat(access.maySubscribe(device(device), filter).isAllowed()).isEqualTo(allowed);
  }

  @Test
  void anonymousToConsumers_aMemberMaySubscribeToTheWholeCommunity() {
    echo(Anonymity.ANONYMOUS_TO_CONSUMERS);
    final AccessControl access = new AccessControl(Topics.withDefaultRoot(), f.router.members());

    assertThat(access.maySubscribe(device("dev5"), "troupe/c/demo/#").isAllowed()).isTrue();
  }

  @Test
  void anonymousToAll_syncDirective_namesTheSourceOnlyByItsPseudonym() {
    echo(Anonymity.ANONYMOUS_TO_ALL);
    f.register(
        "dev6",
        RegisterService.newBuilder().setCommunity("demo").setService("echo").setPassive(true));

    final List<Directive> directives =
        f.router
            .describe(
                device("dev6"),
                "demo",
                "echo",
                "dev6",
                ServiceDescriptor.newBuilder()
                    .setDeviceId("dev6")
                    .setVersion(2)
                    .setInstallable(true)
                    .build()
                    .toByteString())
            .directives();

    final List<Control> told =
        directives.stream()
            .filter(d -> d instanceof Directive.SendControl)
            .map(d -> ((Directive.SendControl) d).control())
            .toList();
    assertThat(told).hasSize(2);
    assertThat(told)
        .allSatisfy(
            c -> {
              assertThat(c.getSync().getSourcesList())
                  .singleElement()
                  .asString()
                  .startsWith("server-");
              assertThat(c.getSync().getNewest().getDeviceId())
                  .isEqualTo(c.getSync().getSources(0));
              assertThat(c.toString()).doesNotContain("dev6");
            });
  }
}
