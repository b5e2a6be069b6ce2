package io.troupe.it;

import static io.troupe.it.GatewaySecurityIT.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.BrowseServices;
import io.troupe.proto.v1.CommunityInfo;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.ServiceInfo;
import io.troupe.proto.v1.StartService;
import io.troupe.proto.v1.SyncDirective;
import io.troupe.proto.v1.UpdateCommunity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, findings 5 and 6, on the embedded broker with real Paho clients: a passive member
 * cannot poison a closed community's descriptor (forged device, installable, a path out of the
 * service's folder), its highest version does not stop the owner's next one, and once removed its
 * descriptor no longer counts; nothing a consumer or member receives names a server the service
 * hides.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DescriptorPoisoningIT {

  private static GatewayFixture gw;
  private static final Map<String, String> passwords = new HashMap<>();
  private static final Map<String, MqttTestClient> clients = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    gw = GatewayFixture.start("descriptors");
    for (final String device : new String[] {"dev4", "dev2", "dev3", "mallory"}) {
      passwords.put(device, gw.addIdentity(device, IdentityRole.DEVICE));
    }
    passwords.put("carol", gw.addIdentity("carol", IdentityRole.CONSUMER));
  }

  @AfterAll
  static void stop() throws Exception {
    for (final MqttTestClient c : clients.values()) {
      c.close();
    }
    if (gw != null) {
      gw.closeInBackground();
    }
  }

  /** {@code who}'s one connection, with its client id {@code who}, reading its answers. */
  private static synchronized MqttTestClient connect(final String who) throws Exception {
    MqttTestClient c = clients.get(who);
    if (c == null) {
      c = MqttTestClient.connect(gw.port(), who, who, passwords.get(who));
      clients.put(who, c);
      assertThat(c.subscribe("troupe/r/" + who + "/#")).isLessThan(0x80);
    }
    return c;
  }

  private static GatewayResponse ok(final MqttTestClient c, final GatewayRequest request)
      throws Exception {
    final GatewayResponse r = api(c, request);
    assertThat(r.getStatus()).as(r.getReason()).isIn(200, 201);
    return r;
  }

  /**
   * {@code owner} creates the closed {@code community} with {@code members}, serving {@code
   * service}.
   */
  private static void community(
      final MqttTestClient owner,
      final String community,
      final String service,
      final ServiceDescriptor descriptor,
      final String... members)
      throws Exception {
    ok(
        owner,
        GatewayRequest.newBuilder()
            .setJoinCommunity(
                JoinCommunity.newBuilder().setCommunity(community).setCreateIfAbsent(true))
            .build());
    ok(
        owner,
        GatewayRequest.newBuilder()
            .setUpdateCommunity(
                UpdateCommunity.newBuilder()
                    .setCommunity(community)
                    .addAllAddMembers(List.of(members)))
            .build());
    ok(
        owner,
        GatewayRequest.newBuilder()
            .setRegisterService(
                RegisterService.newBuilder()
                    .setCommunity(community)
                    .setService(service)
                    .setRule(DistributionRule.newBuilder().setAnonymity(Anonymity.ANONYMOUS_TO_ALL))
                    .setServiceDescriptor(descriptor))
            .build());
  }

  private static void serves(
      final MqttTestClient device,
      final String community,
      final String service,
      final boolean passive)
      throws Exception {
    ok(
        device,
        GatewayRequest.newBuilder()
            .setJoinCommunity(JoinCommunity.newBuilder().setCommunity(community))
            .build());
    ok(
        device,
        GatewayRequest.newBuilder()
            .setRegisterService(
                RegisterService.newBuilder()
                    .setCommunity(community)
                    .setService(service)
                    .setPassive(passive))
            .build());
  }

  private static ServiceDescriptor descriptor(final String device, final long version) {
    return ServiceDescriptor.newBuilder()
        .setService("echo")
        .setDeviceId(device)
        .setVersion(version)
        .addItems(Item.newBuilder().setName("echo/replies.txt").setSize(5))
        .build();
  }

  private static int publish(
      final MqttTestClient device, final String name, final ServiceDescriptor descriptor)
      throws Exception {
    return device.publish(
        "troupe/c/demo/svc/echo/descriptor/" + name, descriptor.toByteArray(), true);
  }

  private static List<SyncDirective> syncs(final MqttTestClient device) throws Exception {
    final List<SyncDirective> syncs = new ArrayList<>();
    for (final MqttTestClient.Answer a : device.received) {
      if (a.topic().endsWith("/ctl")) {
        final Control control = Control.parseFrom(a.body());
        if (control.hasSync()) {
          syncs.add(control.getSync());
        }
      }
    }
    return syncs;
  }

  private static List<ServiceInfo> catalogue(final MqttTestClient who) throws Exception {
    return ok(
            who,
            GatewayRequest.newBuilder()
                .setBrowseServices(BrowseServices.newBuilder().setCatalogue(true))
                .build())
        .getBrowse()
        .getCatalogueList();
  }

  @Test
  void passiveMemberPoisoningTheDescriptor_isRefused_andTheOwnersNextVersionAlwaysTakesEffect()
      throws Exception {
    // given: dev4 owns the closed community demo and its anonymous echo; dev2 serves, dev3 is
    // passive
    final MqttTestClient dev4 = connect("dev4");
    final MqttTestClient dev2 = connect("dev2");
    final MqttTestClient dev3 = connect("dev3");
    final MqttTestClient mallory = connect("mallory");
    community(dev4, "demo", "echo", descriptor("dev4", 1), "dev2", "dev3");
    serves(dev2, "demo", "echo", false);
    serves(dev3, "demo", "echo", true);
    assertThat(dev2.subscribe("troupe/d/dev2/ctl")).isLessThan(0x80);

    // when: dev3 publishes the poisoned descriptor of the report, and each poison on its own
    final ServiceDescriptor poisoned =
        descriptor("dev2", Long.MAX_VALUE).toBuilder()
            .setInstallable(true)
            .addItems(Item.newBuilder().setName("../../../../home/user/.ssh/authorized_keys"))
            .build();
    final List<Integer> refused =
        List.of(
            publish(dev3, "dev3", poisoned),
            publish(dev3, "dev3", descriptor("dev2", Long.MAX_VALUE)),
            publish(
                dev3,
                "dev3",
                descriptor("dev3", Long.MAX_VALUE).toBuilder().setInstallable(true).build()),
            publish(
                dev3,
                "dev3",
                descriptor("dev3", Long.MAX_VALUE).toBuilder()
                    .addItems(
                        Item.newBuilder().setName("../../../../home/user/.ssh/authorized_keys"))
                    .build()));

    // then: each is refused, nothing is in the catalogue, and nobody could start a copy
    assertThat(refused).allSatisfy(code -> assertThat(code).isGreaterThanOrEqualTo(0x80));
    assertThat(catalogue(mallory)).isEmpty();
    final GatewayResponse copy =
        api(
            mallory,
            GatewayRequest.newBuilder()
                .setStartService(
                    StartService.newBuilder().setAddress("echo.demo").setCommunity("copy"))
                .build());
    assertThat(copy.getStatus()).isEqualTo(404);

    // when: dev3 publishes a clean descriptor at the highest version, then the owner its next one
    assertThat(publish(dev3, "dev3", descriptor("dev3", Long.MAX_VALUE))).isLessThan(0x80);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(syncs(dev2)).hasSize(1));
    assertThat(publish(dev4, "dev4", descriptor("dev4", 2))).isLessThan(0x80);

    // then: dev2 was told first of dev3's (named by its pseudonym only), then of the owner's
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(syncs(dev2)).hasSize(2));
    final SyncDirective fromDev3 = syncs(dev2).get(0);
    assertThat(fromDev3.getNewest().getVersion()).isEqualTo(Long.MAX_VALUE);
    assertThat(fromDev3.getSourcesList()).singleElement().asString().startsWith("server-");
    assertThat(fromDev3.getNewest().getDeviceId()).isEqualTo(fromDev3.getSources(0));
    assertThat(fromDev3.toString()).doesNotContain("dev3");
    assertThat(syncs(dev2).get(1).getNewest().getVersion()).isEqualTo(2);

    // when: dev3 wins once more, and the owner removes it from the community
    assertThat(publish(dev3, "dev3", descriptor("dev3", Long.MAX_VALUE))).isLessThan(0x80);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(syncs(dev2)).hasSize(3));
    ok(
        dev4,
        GatewayRequest.newBuilder()
            .setUpdateCommunity(
                UpdateCommunity.newBuilder().setCommunity("demo").addRemoveMembers("dev3"))
            .build());

    // then: the owner's next version takes effect: it lists echo in the catalogue, where no one
    // learns which server published it, and browsing demo names no owner
    assertThat(
            publish(dev4, "dev4", descriptor("dev4", 3).toBuilder().setInstallable(true).build()))
        .isLessThan(0x80);
    final List<ServiceInfo> listed = catalogue(mallory);
    assertThat(listed).extracting(ServiceInfo::getAddress).containsExactly("echo.demo");
    assertThat(listed.get(0).getServiceDescriptor().getVersion()).isEqualTo(3);
    assertThat(listed.get(0).toString()).doesNotContain("dev4").doesNotContain("dev2");
    final MqttTestClient carol = connect("carol");
    final CommunityInfo browsed =
        ok(
                carol,
                GatewayRequest.newBuilder()
                    .setBrowseServices(BrowseServices.newBuilder().setCommunity("demo"))
                    .build())
            .getBrowse()
            .getCommunities(0);
    assertThat(browsed.getOwner()).isEmpty();
    assertThat(browsed.toString()).doesNotContain("dev4").doesNotContain("dev2");
  }

  @Test
  void memberOfAServiceAnonymousToAll_cannotSubscribeToTheTopicsThatNameItsServers()
      throws Exception {
    // given: dev4 owns hidden, whose feed is anonymous to all; dev2 serves it too
    final MqttTestClient dev4 = connect("dev4");
    final MqttTestClient dev2 = connect("dev2");
    community(dev4, "hidden", "feed", ServiceDescriptor.newBuilder().setVersion(1).build(), "dev2");
    serves(dev2, "hidden", "feed", false);

    // then: dev2 may read the pseudonymous list and its own topics, not the others' status or
    // descriptors; the owner may read everything
    assertThat(dev2.subscribe("troupe/c/hidden/#")).isGreaterThanOrEqualTo(0x80);
    assertThat(dev2.subscribe("troupe/c/hidden/status/+")).isGreaterThanOrEqualTo(0x80);
    assertThat(dev2.subscribe("troupe/c/hidden/svc/feed/descriptor/+"))
        .isGreaterThanOrEqualTo(0x80);
    assertThat(dev2.subscribe("troupe/c/hidden/svc/feed/servers")).isLessThan(0x80);
    assertThat(dev2.subscribe("troupe/c/hidden/status/dev2")).isLessThan(0x80);
    assertThat(dev4.subscribe("troupe/c/hidden/#")).isLessThan(0x80);
  }
}
