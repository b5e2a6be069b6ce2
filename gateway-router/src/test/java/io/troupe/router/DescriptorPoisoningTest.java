package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.base.Ticker;
import io.troupe.contract.TopicKind;
import io.troupe.proto.v1.BrowseServices;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.UpdateCommunity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A member cannot poison a service's descriptor (issue 11, finding 5): it describes only itself,
 * only the owner makes the service installable, item names stay relative, and no member's version
 * stops the owner's next descriptor from taking effect.
 */
class DescriptorPoisoningTest {

  private final RouterFixture f = new RouterFixture();

  /** dev1 owns the closed community demo and describes notes at version 1; dev3 is passive. */
  @BeforeEach
  void ownerDescribesNotes_withASecondaryAndAPassiveMember() {
    f.register(
        "dev1",
        RegisterService.newBuilder()
            .setCommunity("demo")
            .setService("notes")
            .setServiceDescriptor(descriptor("dev1", 1)));
    f.register("dev2", "demo", "notes");
    f.register(
        "dev3",
        RegisterService.newBuilder().setCommunity("demo").setService("notes").setPassive(true));
  }

  private static ServiceDescriptor descriptor(final String device, final long version) {
    return ServiceDescriptor.newBuilder()
        .setService("notes")
        .setDeviceId(device)
        .setVersion(version)
        .addItems(Item.newBuilder().setName("notes/today.txt").setSize(3))
        .build();
  }

  private DescriptorReport publishes(final String device, final ServiceDescriptor descriptor) {
    return f.router.describe(device(device), "demo", "notes", device, descriptor.toByteString());
  }

  private ServiceDescriptor kept() {
    return f.router.snapshot().getCommunities(0).getServices(0).getServiceDescriptor();
  }

  private List<String> catalogue() {
    final GatewayResponse r =
        f.api(
            RouterFixture.consumer("c1"),
            GatewayRequest.newBuilder()
                .setBrowseServices(BrowseServices.newBuilder().setCatalogue(true))
                .build());
    return r.getBrowse().getCatalogueList().stream().map(s -> s.getAddress()).toList();
  }

  private static List<String> syncedDevices(final List<Directive> directives) {
    return directives.stream()
        .filter(d -> d instanceof Directive.SendControl c && c.control().hasSync())
        .map(d -> ((Directive.SendControl) d).device())
        .toList();
  }

  @Test
  void descriptorNamingAnotherDevice_isRefused400_andChangesNothing() {
    final DescriptorReport report = publishes("dev3", descriptor("dev1", 9));

    assertThat(report.verdict().status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(report.verdict().reason()).contains("'dev1'").contains("'dev3'");
    assertThat(report.directives()).isEmpty();
    assertThat(kept().getVersion()).isEqualTo(1);
  }

  @Test
  void memberMakingTheServiceInstallable_isRefused403_andItStaysOutOfTheCatalogue() {
    final DescriptorReport report =
        publishes("dev3", descriptor("dev3", 9).toBuilder().setInstallable(true).build());

    assertThat(report.verdict().status()).isEqualTo(Status.FORBIDDEN);
    assertThat(report.verdict().reason()).contains("only the owner of 'demo'");
    assertThat(report.directives()).isEmpty();
    assertThat(kept().getVersion()).isEqualTo(1);
    assertThat(catalogue()).isEmpty();
  }

  @Test
  void ownerMakingTheServiceInstallable_putsItInTheCatalogue_andMembersMayKeepItSo() {
    assertThat(
            publishes("dev1", descriptor("dev1", 2).toBuilder().setInstallable(true).build())
                .verdict()
                .isAllowed())
        .isTrue();
    assertThat(catalogue()).containsExactly("notes.demo");

    final DescriptorReport member =
        publishes("dev3", descriptor("dev3", 3).toBuilder().setInstallable(true).build());
    assertThat(member.verdict().isAllowed()).isTrue();
    assertThat(publishes("dev3", descriptor("dev3", 4)).verdict().status())
        .isEqualTo(Status.FORBIDDEN);
    assertThat(catalogue()).containsExactly("notes.demo");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../../../../home/user/.ssh/authorized_keys",
        "/etc/passwd",
        "notes/../../escape",
        "notes//today.txt",
        "notes/",
        "./notes",
        "notes\\..\\escape",
        "",
        "notes/to\u0000day"
      })
  void itemNameThatIsNotARelativePath_isRefused400_andChangesNothing(final String name) {
    final ServiceDescriptor bad =
        descriptor("dev3", 9).toBuilder().addItems(Item.newBuilder().setName(name)).build();

    final DescriptorReport report = publishes("dev3", bad);

    assertThat(report.verdict().status()).isEqualTo(Status.BAD_REQUEST);
    assertThat(report.verdict().reason()).startsWith("item name '");
    assertThat(report.directives()).isEmpty();
    assertThat(kept().getVersion()).isEqualTo(1);
  }

  @Test
  void relativeItemNamesInSegments_areAccepted() {
    final ServiceDescriptor fine =
        descriptor("dev3", 2).toBuilder()
            .addItems(Item.newBuilder().setName("photos/2026/.hidden/a..b.jpg"))
            .build();
    assertThat(publishes("dev3", fine).verdict().isAllowed()).isTrue();
    assertThat(kept().getVersion()).isEqualTo(2);
  }

  @Test
  void descriptorWithoutDeviceId_isKeptAsThePublishers() {
    assertThat(publishes("dev3", descriptor("", 2)).verdict().isAllowed()).isTrue();
    assertThat(kept().getDeviceId()).isEqualTo("dev3");
  }

  @Test
  void membersHighestVersion_doesNotStopTheOwnersNextDescriptor() {
    assertThat(publishes("dev3", descriptor("dev3", Long.MAX_VALUE)).verdict().isAllowed())
        .isTrue();

    final DescriptorReport owner = publishes("dev1", descriptor("dev1", 2));

    assertThat(owner.verdict().isAllowed()).isTrue();
    assertThat(kept().getVersion()).isEqualTo(2);
    assertThat(kept().getDeviceId()).isEqualTo("dev1");
    assertThat(syncedDevices(owner.directives())).containsExactlyInAnyOrder("dev2", "dev3");
    assertThat(publishes("dev1", descriptor("dev1", 2)).directives()).isEmpty();
  }

  @Test
  void membersHighestVersion_doesNotStopTheOwnersNext_afterARestart() {
    publishes("dev3", descriptor("dev3", Long.MAX_VALUE));
    f.restart();

    assertThat(publishes("dev1", descriptor("dev1", 2)).verdict().isAllowed()).isTrue();
    assertThat(kept().getVersion()).isEqualTo(2);
  }

  @Test
  void removedMember_itsDescriptorIsForgotten_theOwnersDescribesTheServiceAgain() {
    publishes("dev3", descriptor("dev3", Long.MAX_VALUE));

    final GatewayResponse removed =
        f.api(
            device("dev1"),
            GatewayRequest.newBuilder()
                .setUpdateCommunity(
                    UpdateCommunity.newBuilder().setCommunity("demo").addRemoveMembers("dev3"))
                .build());

    assertThat(removed.getStatus()).isEqualTo(200);
    assertThat(kept().getVersion()).isEqualTo(1);
    assertThat(kept().getDeviceId()).isEqualTo("dev1");
  }

  private GatewayResponse registersShop(final ServiceDescriptor.Builder descriptor) {
    return f.api(
        device("dev4"),
        GatewayRequest.newBuilder()
            .setRegisterService(
                RegisterService.newBuilder()
                    .setCommunity("demo")
                    .setService("shop")
                    .setServiceDescriptor(descriptor))
            .build());
  }

  @Test
  void registrationCarryingAForgedOrInstallableDescriptor_isRefused_andCreatesNothing() {
    f.join("dev4", "demo");

    final GatewayResponse forged = registersShop(descriptor("dev1", 1).toBuilder().setService(""));
    final GatewayResponse installable =
        registersShop(ServiceDescriptor.newBuilder().setVersion(1).setInstallable(true));

    assertThat(forged.getStatus()).isEqualTo(400);
    assertThat(installable.getStatus()).isEqualTo(403);
    assertThat(f.router.snapshot().getCommunities(0).getServicesList())
        .extracting(s -> s.getName())
        .containsExactly("notes");
    assertThat(catalogue()).isEmpty();
  }

  @Test
  void eachKindOfRefusedDescriptor_isCounted() {
    final List<RouterMetrics.DescriptorRefusal> counted = new ArrayList<>();
    f.router.reportTo(
        new RouterMetrics() {
          @Override
          public void descriptorRefused(final DescriptorRefusal why) {
            counted.add(why);
          }
        },
        Ticker.systemTicker());

    publishes("dev3", descriptor("dev1", 9));
    publishes("dev3", descriptor("dev3", 9).toBuilder().setInstallable(true).build());
    publishes(
        "dev3",
        descriptor("dev3", 9).toBuilder().addItems(Item.newBuilder().setName("../x")).build());
    publishes("dev3", descriptor("dev3", 9));

    assertThat(counted)
        .containsExactly(
            RouterMetrics.DescriptorRefusal.FORGED_DEVICE,
            RouterMetrics.DescriptorRefusal.INSTALLABLE_NOT_OWNER,
            RouterMetrics.DescriptorRefusal.ITEM_NAME);
  }

  @Test
  void willCarryingAForgedDescriptor_isRefused() {
    final Verdict will =
        f.router.checkWill(
            device("dev3"),
            new TopicKind.Descriptor("demo", "notes", "dev3"),
            descriptor("dev2", 9).toByteString());
    assertThat(will.status()).isEqualTo(Status.BAD_REQUEST);
  }
}
