package io.troupe.extension.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.google.protobuf.ByteString;
import io.troupe.extension.metrics.GatewayMetrics;
import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.BrowseServices;
import io.troupe.proto.v1.CommunityInfo;
import io.troupe.proto.v1.CreateCommunity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayState;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.router.Directive;
import io.troupe.router.GatewayRouter;
import io.troupe.router.LoginConfig;
import io.troupe.router.Principal;
import io.troupe.router.RouterConfig;
import io.troupe.router.StateChange;
import io.troupe.router.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The poller between a real LDAP server and a real router: refreshes, outages, recovery. */
class GroupPollerTest {

  private static final Principal ADMIN = new Principal("admin", IdentityRole.ADMIN, "admin");

  @TempDir Path dir;
  private TestDirectory ldap;
  private final MetricRegistry registry = new MetricRegistry();
  private final List<Directive> carriedOut = new CopyOnWriteArrayList<>();
  private GatewayRouter router;
  private GroupPoller poller;

  @BeforeEach
  void start() throws Exception {
    ldap = new TestDirectory();
    ldap.person("alice");
    ldap.person("bob");
    ldap.groupOfNames(
        "crew", TestDirectory.person("alice", true), TestDirectory.person("bob", true));
    router =
        new GatewayRouter(
            RouterConfig.defaults(),
            LoginConfig.defaults().withHashIterations(1_000),
            Clock.systemUTC(),
            new StateStore() {
              @Override
              public Optional<GatewayState> load() {
                return Optional.empty();
              }

              @Override
              public void write(final StateChange change) {}
            });
    router.useDirectory(10);
    for (final String name : new String[] {"alice", "bob"}) {
      api(
          GatewayRequest.newBuilder()
              .setAddIdentity(AddIdentity.newBuilder().setName(name).setRole(IdentityRole.DEVICE))
              .build());
    }
    api(
        GatewayRequest.newBuilder()
            .setCreateCommunity(
                CreateCommunity.newBuilder().setName("crew").setGroup(TestDirectory.group("crew")))
            .build());
    final Path password = dir.resolve("ldap.password");
    Files.writeString(password, TestDirectory.PASSWORD);
    poller =
        new GroupPoller(
            router,
            new LdapGroupDirectory(ldap.config(password, 10)),
            "test",
            10,
            carriedOut::addAll,
            GatewayMetrics.register(registry, () -> 0));
  }

  @AfterEach
  void stop() {
    ldap.close();
  }

  @Test
  void refresh_givesTheGroupsMembers_thenTakesTheRemovedOnesPlace() throws Exception {
    poller.run();
    assertThat(crew().getAllowedList()).containsExactlyInAnyOrder("alice", "bob");

    ldap.server.modify(
        "dn: " + TestDirectory.group("crew"),
        "changetype: modify",
        "delete: member",
        "member: " + TestDirectory.person("bob", true));
    poller.run();

    assertThat(crew().getAllowedList()).containsExactly("alice");
    assertThat(crew().getGroupStatus()).isEqualTo("read 1 members");
  }

  @Test
  void refresh_directoryDown_countsKeepsMembersAndSaysSo_thenRecovers() throws Exception {
    poller.run();
    ldap.stop();

    poller.run();
    poller.run();

    assertThat(registry.counter(GatewayMetrics.DIRECTORY_FAILURES).getCount()).isEqualTo(2);
    assertThat(crew().getAllowedList()).containsExactlyInAnyOrder("alice", "bob");
    assertThat(crew().getGroupStatus()).contains("could not be read");

    ldap.start();
    poller.run();
    assertThat(crew().getGroupStatus()).isEqualTo("read 2 members");
  }

  @Test
  void refresh_groupOverTheLimit_isCountedAndChangesNothing() throws Exception {
    for (int i = 0; i < 11; i++) {
      ldap.server.modify(
          "dn: " + TestDirectory.group("crew"),
          "changetype: modify",
          "add: member",
          "member: " + TestDirectory.person("extra" + i, true));
    }

    poller.run();

    assertThat(registry.counter(GatewayMetrics.GROUPS_TOO_LARGE).getCount()).isEqualTo(1);
    assertThat(crew().getAllowedList()).isEmpty();
    assertThat(crew().getGroupStatus()).contains("more than 10 members");
  }

  private CommunityInfo crew() {
    return api(GatewayRequest.newBuilder()
            .setBrowseServices(BrowseServices.newBuilder().setCommunity("crew"))
            .build())
        .getBrowse()
        .getCommunities(0);
  }

  private io.troupe.proto.v1.GatewayResponse api(final GatewayRequest request) {
    final io.troupe.proto.v1.GatewayResponse response =
        router.onApi(ADMIN, ByteString.copyFrom(request.toByteArray())).response();
    assertThat(response.getStatus()).as(response.getReason()).isLessThan(300);
    return response;
  }
}
