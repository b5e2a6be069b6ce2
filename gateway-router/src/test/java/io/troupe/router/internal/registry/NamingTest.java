package io.troupe.router.internal.registry;

import static io.troupe.router.RouterFixture.device;
import static io.troupe.router.RouterFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.NamingMode;
import io.troupe.proto.v1.RegisterService;
import io.troupe.router.Decision;
import io.troupe.router.RouterFixture;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The naming modes of R2: the community as domain, the service as domain, or both. */
class NamingTest {

  private final RouterFixture f = new RouterFixture();

  private GatewayResponse register(
      final String device, final String community, final String service, final NamingMode mode) {
    f.join(device, community);
    return f.api(
        device(device),
        GatewayRequest.newBuilder()
            .setRegisterService(
                RegisterService.newBuilder()
                    .setCommunity(community)
                    .setService(service)
                    .setRule(DistributionRule.newBuilder().setNaming(mode)))
            .build());
  }

  static Stream<Arguments> modes() {
    return Stream.of(
        Arguments.of(
            NamingMode.NAMING_MODE_UNSPECIFIED,
            "movies.family",
            List.of("movies.family"),
            List.of("family.movies")),
        Arguments.of(
            NamingMode.DOMAIN, "movies.family", List.of("movies.family"), List.of("family.movies")),
        Arguments.of(
            NamingMode.SUBDOMAIN,
            "family.movies",
            List.of("family.movies"),
            List.of("movies.family")),
        Arguments.of(
            NamingMode.DOMAIN_AND_SUBDOMAIN,
            "movies.family",
            List.of("movies.family", "family.movies"),
            List.of()));
  }

  @ParameterizedTest(name = "{0} gives {1}")
  @MethodSource("modes")
  void register_namingMode_givesItsAddresses_andNamedServerAddressesUnderEach(
      final NamingMode mode,
      final String address,
      final List<String> resolves,
      final List<String> unknown) {
    final GatewayResponse r = register("mum", "family", "movies", mode);
    f.register("dad", "family", "movies");
    f.online("mum", "family");
    f.online("dad", "family");

    assertThat(r.getStatus()).as(r.getReason()).isEqualTo(201);
    assertThat(r.getRegistration().getAddress()).isEqualTo(address);
    for (final String a : resolves) {
      assertThat(f.router.onRequest(request(a))).as(a).isInstanceOf(Decision.Forward.class);
      final Decision named = f.router.onRequest(request("dad." + a));
      assertThat(((Decision.Forward) named).device()).as("dad." + a).isEqualTo("dad");
    }
    for (final String a : unknown) {
      final Decision d = f.router.onRequest(request(a));
      assertThat(((Decision.Answer) d).code()).as(a).isEqualTo(404);
    }
    f.restart();
    f.online("mum", "family");
    for (final String a : resolves) {
      assertThat(f.router.onRequest(request(a)))
          .as("after restart " + a)
          .isInstanceOf(Decision.Forward.class);
    }
  }

  @Test
  void subdomain_sameServiceInTwoCommunities_eachGetsItsOwnAddress_firstCreatesTheDomain() {
    final GatewayResponse abc = register("ann", "abc", "shop", NamingMode.SUBDOMAIN);
    final GatewayResponse xyz = register("bob", "xyz", "shop", NamingMode.SUBDOMAIN);
    assertThat(abc.getRegistration().getAddress()).isEqualTo("abc.shop");
    assertThat(abc.getRegistration().getCreatedDomain()).isTrue();
    assertThat(xyz.getRegistration().getAddress()).isEqualTo("xyz.shop");
    assertThat(xyz.getRegistration().getCreatedDomain()).isFalse();
  }

  @Test
  void register_addressTakenByAnotherNaming_isRefusedWith409() {
    register("ann", "abc", "shop", NamingMode.SUBDOMAIN);
    final GatewayResponse clash = register("bob", "shop", "abc", NamingMode.DOMAIN);
    assertThat(clash.getStatus()).isEqualTo(409);
    assertThat(clash.getReason()).contains("abc.shop");
  }

  @Test
  void register_unknownNamingMode_isRefusedWith400() {
    f.join("ann", "abc");
    final GatewayResponse r =
        f.api(
            device("ann"),
            GatewayRequest.newBuilder()
                .setRegisterService(
                    RegisterService.newBuilder()
                        .setCommunity("abc")
                        .setService("shop")
                        .setRule(DistributionRule.newBuilder().setNamingValue(42)))
                .build());
    assertThat(r.getStatus()).isEqualTo(400);
  }

  @Test
  void deleteService_bothNaming_freesBothAddresses() {
    register("ann", "abc", "shop", NamingMode.DOMAIN_AND_SUBDOMAIN);
    f.api(
        device("ann"),
        GatewayRequest.newBuilder()
            .setDeleteService(
                io.troupe.proto.v1.DeleteService.newBuilder()
                    .setCommunity("abc")
                    .setService("shop"))
            .build());
    assertThat(((Decision.Answer) f.router.onRequest(request("abc.shop"))).code()).isEqualTo(404);
    assertThat(register("bob", "shop", "abc", NamingMode.DOMAIN).getStatus()).isEqualTo(201);
  }
}
