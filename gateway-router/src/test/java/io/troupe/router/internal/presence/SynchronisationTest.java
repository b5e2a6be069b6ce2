package io.troupe.router.internal.presence;

import static io.troupe.router.RouterFixture.device;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.router.DescriptorReport;
import io.troupe.router.Directive;
import io.troupe.router.RouterFixture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Synchronisation on change (R4, R17): a server, such as a passive one that served itself, reports
 * a newer descriptor; every other server is told to reach it, from that server.
 */
class SynchronisationTest {

  private final RouterFixture f = new RouterFixture();

  private void servers(final Anonymity anonymity, final boolean withDescriptor) {
    final RegisterService.Builder first =
        RegisterService.newBuilder()
            .setCommunity("demo")
            .setService("notes")
            .setRule(DistributionRule.newBuilder().setAnonymity(anonymity));
    if (withDescriptor) {
      first.setServiceDescriptor(version(1));
    }
    f.register("dev1", first);
    f.register("dev2", "demo", "notes");
    f.register(
        "dev3",
        RegisterService.newBuilder().setCommunity("demo").setService("notes").setPassive(true));
  }

  private static ServiceDescriptor version(final long version) {
    return ServiceDescriptor.newBuilder().setService("notes").setVersion(version).build();
  }

  private DescriptorReport reports(final String device, final long version) {
    return f.router.describe(
        device(device), "demo", "notes", device, version(version).toByteString());
  }

  private static Map<String, Control> told(final List<Directive> directives) {
    final Map<String, Control> told = new LinkedHashMap<>();
    for (final Directive d : directives) {
      if (d instanceof Directive.SendControl c && c.control().hasSync()) {
        assertThat(c.topic()).isEqualTo("troupe/d/" + c.device() + "/ctl");
        told.put(c.device(), c.control());
      }
    }
    return told;
  }

  @Test
  void passiveServerReportsItsChanges_everyOtherServerIsToldToSyncFromIt() {
    servers(Anonymity.NAMED, true);

    final DescriptorReport report = reports("dev3", 2);

    assertThat(report.verdict().isAllowed()).isTrue();
    assertThat(told(report.directives())).containsOnlyKeys("dev1", "dev2");
    assertThat(told(report.directives()).values())
        .allSatisfy(
            c -> {
              assertThat(c.getAddress()).isEqualTo("notes.demo");
              assertThat(c.getSync().getNewest().getVersion()).isEqualTo(2);
              assertThat(c.getSync().getSourcesList()).containsExactly("dev3");
            });
    assertThat(f.router.snapshot().getCommunities(0).getServices(0).getServiceDescriptor())
        .extracting(ServiceDescriptor::getVersion)
        .isEqualTo(2L);
  }

  @Test
  void sameOrOlderVersion_tellsNoOne() {
    servers(Anonymity.NAMED, true);
    reports("dev3", 2);
    assertThat(reports("dev2", 2).directives()).isEmpty();
    assertThat(reports("dev1", 1).directives()).isEmpty();
  }

  @Test
  void firstDescriptorOfAService_isNoChange_andTellsNoOne() {
    servers(Anonymity.NAMED, false);
    assertThat(reports("dev1", 1).directives()).isEmpty();
  }

  @Test
  void anonymousToAll_theSourceIsThePseudonymTheMembersSee() {
    servers(Anonymity.ANONYMOUS_TO_ALL, true);
    assertThat(told(reports("dev3", 2).directives()).values())
        .allSatisfy(
            c ->
                assertThat(c.getSync().getSourcesList())
                    .singleElement()
                    .asString()
                    .startsWith("server-"));
  }

  @Test
  void descriptorFromANonServer_isRefused_andTellsNoOne() {
    servers(Anonymity.NAMED, true);
    f.join("dev4", "demo");
    final DescriptorReport report = reports("dev4", 5);
    assertThat(report.verdict().isAllowed()).isFalse();
    assertThat(report.directives()).isEmpty();
  }
}
