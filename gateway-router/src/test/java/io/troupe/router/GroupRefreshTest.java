package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.CommunityInfo;
import io.troupe.proto.v1.CreateCommunity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.SetCommunityGroup;
import io.troupe.proto.v1.UpdateCommunity;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Communities formed from directory groups (R16): following a group, and applying its refresh. */
class GroupRefreshTest {

  private static final String GROUP = "cn=crew,ou=groups,dc=example,dc=org";

  private final RouterFixture f = new RouterFixture();
  private final Principal admin = new Principal("admin", IdentityRole.ADMIN, "admin-cli");

  @BeforeEach
  void grouped() {
    f.router.useDirectory(5);
    for (final String name : new String[] {"alice", "bob", "carol"}) {
      assertThat(f.api(admin, addIdentity(name)).getStatus()).isEqualTo(201);
    }
    f.join("own", "crew");
    assertThat(f.api(device("own"), setGroup("crew", GROUP)).getStatus()).isEqualTo(200);
  }

  @Test
  void refresh_addsMembersWithAnIdentity_andReportsTheOthers() {
    final GroupRefresh.Result r = refresh(GROUP, "alice", "Bob", "zed");

    assertThat(r.outcome()).isEqualTo(GroupRefresh.Outcome.APPLIED);
    assertThat(r.status()).isEqualTo("read 3 members; 1 have no identity here");
    final CommunityInfo crew = show("crew");
    assertThat(crew.getAllowedList()).containsExactlyInAnyOrder("alice", "bob");
    assertThat(crew.getGroupMembersList()).containsExactlyInAnyOrder("alice", "bob");
    assertThat(crew.getGroup()).isEqualTo(GROUP);
    assertThat(crew.getGroupStatus()).isEqualTo(r.status());
    assertThat(f.api(device("alice"), join("crew")).getStatus()).isEqualTo(200);
    assertThat(f.api(device("carol"), join("crew")).getStatus()).isEqualTo(403);
  }

  @Test
  void refresh_memberLeftTheGroup_losesItsPlaceAndItsServerEntry() {
    refresh(GROUP, "alice", "bob");
    assertThat(f.register("alice", "crew", "echo").getStatus()).isIn(200, 201);

    final GroupRefresh.Result r = refresh(GROUP, "bob");

    final CommunityInfo crew = show("crew");
    assertThat(crew.getAllowedList()).containsExactly("bob");
    assertThat(crew.getMembersList()).doesNotContain("alice");
    assertThat(crew.getGroupMembersList()).containsExactly("bob");
    assertThat(record("crew").getServicesList())
        .singleElement()
        .satisfies(s -> assertThat(s.getServersList()).isEmpty());
    assertThat(r.directives())
        .contains(
            new Directive.ClearRetained("troupe/c/crew/status/alice"),
            new Directive.ClearRetained("troupe/c/crew/svc/echo/descriptor/alice"));
    assertThat(f.api(device("alice"), join("crew")).getStatus()).isEqualTo(403);
  }

  @Test
  void refresh_leavesIdentitiesAllowedByHandAlone() {
    assertThat(
            f.api(
                    device("own"),
                    GatewayRequest.newBuilder()
                        .setUpdateCommunity(
                            UpdateCommunity.newBuilder()
                                .setCommunity("crew")
                                .addAddMembers("carol"))
                        .build())
                .getStatus())
        .isEqualTo(200);

    refresh(GROUP, "alice", "carol");
    refresh(GROUP, "alice");

    final CommunityInfo crew = show("crew");
    assertThat(crew.getAllowedList()).containsExactlyInAnyOrder("alice", "carol");
    assertThat(crew.getGroupMembersList()).containsExactly("alice");
  }

  @Test
  void update_removingAGroupMemberByHand_lastsUntilTheNextRefresh() {
    refresh(GROUP, "alice", "bob");

    f.api(
        device("own"),
        GatewayRequest.newBuilder()
            .setUpdateCommunity(
                UpdateCommunity.newBuilder().setCommunity("crew").addRemoveMembers("bob"))
            .build());
    assertThat(show("crew").getGroupMembersList()).containsExactly("alice");

    refresh(GROUP, "alice", "bob");
    assertThat(show("crew").getAllowedList()).containsExactlyInAnyOrder("alice", "bob");
    assertThat(show("crew").getGroupMembersList()).containsExactlyInAnyOrder("alice", "bob");
  }

  @Test
  void refresh_failedRead_keepsTheMembersAndSaysWhy() {
    refresh(GROUP, "alice");

    final GroupRefresh.Result r =
        f.router.refreshGroup("crew", GROUP, new GroupRefresh.Failed("connection refused"));

    assertThat(r.outcome()).isEqualTo(GroupRefresh.Outcome.FAILED);
    assertThat(r.directives()).isEmpty();
    final CommunityInfo crew = show("crew");
    assertThat(crew.getAllowedList()).containsExactly("alice");
    assertThat(crew.getGroupMembersList()).containsExactly("alice");
    assertThat(crew.getGroupStatus()).contains("could not be read").contains("connection refused");
  }

  @Test
  void refresh_groupLargerThanTheLimit_isRefusedAndChangesNothing() {
    refresh(GROUP, "alice");
    f.router.useDirectory(2);

    final GroupRefresh.Result r = refresh(GROUP, "bob", "carol", "dave");

    assertThat(r.outcome()).isEqualTo(GroupRefresh.Outcome.TOO_LARGE);
    assertThat(r.status()).contains("more than 2 members").contains("max-group-members");
    assertThat(show("crew").getAllowedList()).containsExactly("alice");
  }

  @Test
  void refresh_ofAGroupTheCommunityNoLongerFollows_changesNothing() {
    assertThat(f.api(device("own"), setGroup("crew", "cn=other")).getStatus()).isEqualTo(200);

    final GroupRefresh.Result r = refresh(GROUP, "alice");

    assertThat(r.outcome()).isEqualTo(GroupRefresh.Outcome.STALE);
    assertThat(show("crew").getAllowedList()).isEmpty();
  }

  @Test
  void refresh_isSaved_andARestartKeepsTheGroupAndItsMembers() {
    refresh(GROUP, "alice", "bob");

    f.restart();

    final CommunityInfo crew = show("crew");
    assertThat(crew.getGroup()).isEqualTo(GROUP);
    assertThat(crew.getAllowedList()).containsExactlyInAnyOrder("alice", "bob");
    assertThat(crew.getGroupMembersList()).containsExactlyInAnyOrder("alice", "bob");
    assertThat(f.router.groupedCommunities())
        .containsExactly(new GroupRefresh.Grouped("crew", GROUP));
  }

  @Test
  void setGroup_empty_detaches_andTheMembersItGaveStayAllowed() {
    refresh(GROUP, "alice");

    assertThat(f.api(device("own"), setGroup("crew", "")).getStatus()).isEqualTo(200);

    final CommunityInfo crew = show("crew");
    assertThat(crew.getGroup()).isEmpty();
    assertThat(crew.getGroupMembersList()).isEmpty();
    assertThat(crew.getAllowedList()).containsExactly("alice");
    assertThat(f.router.groupedCommunities()).isEmpty();
  }

  @Test
  void setGroup_refusals_unknownCommunity404_notOwner403_noDirectory400() {
    assertThat(f.api(device("own"), setGroup("nope", GROUP)).getStatus()).isEqualTo(404);
    assertThat(f.api(device("alice"), setGroup("crew", "cn=mine")).getStatus()).isEqualTo(403);
    assertThat(f.api(admin, setGroup("crew", "cn=x\ny")).getStatus()).isEqualTo(400);

    f.restart(); // a router told of no directory
    final GatewayResponse noDirectory = f.api(device("own"), setGroup("crew", "cn=other"));
    assertThat(noDirectory.getStatus()).isEqualTo(400);
    assertThat(noDirectory.getReason()).contains("no directory is configured");
    final GatewayResponse create =
        f.api(
            device("own"),
            GatewayRequest.newBuilder()
                .setCreateCommunity(CreateCommunity.newBuilder().setName("more").setGroup(GROUP))
                .build());
    assertThat(create.getStatus()).isEqualTo(400);
    assertThat(show("crew").getGroup()).isEqualTo(GROUP);
  }

  @Test
  void createCommunity_withAGroup_followsIt() {
    final GatewayResponse created =
        f.api(
            device("own"),
            GatewayRequest.newBuilder()
                .setCreateCommunity(CreateCommunity.newBuilder().setName("team").setGroup("cn=t"))
                .build());

    assertThat(created.getStatus()).isEqualTo(201);
    assertThat(created.getCommunity().getGroup()).isEqualTo("cn=t");
    assertThat(created.getCommunity().getGroupStatus()).isEqualTo("not read yet");
    refresh("cn=t", "bob");
    assertThat(show("team").getAllowedList()).containsExactly("bob");
  }

  private GroupRefresh.Result refresh(final String group, final String... names) {
    final String community = group.equals(GROUP) ? "crew" : "team";
    return f.router.refreshGroup(community, group, new GroupRefresh.Members(Set.of(names)));
  }

  private CommunityInfo show(final String community) {
    return f.api(admin, browse(community)).getBrowse().getCommunities(0);
  }

  private io.troupe.proto.v1.CommunityRecord record(final String community) {
    return f.router.snapshot().getCommunitiesList().stream()
        .filter(c -> c.getName().equals(community))
        .findFirst()
        .orElseThrow();
  }

  private static GatewayRequest browse(final String community) {
    return GatewayRequest.newBuilder()
        .setBrowseServices(io.troupe.proto.v1.BrowseServices.newBuilder().setCommunity(community))
        .build();
  }

  private static GatewayRequest setGroup(final String community, final String group) {
    return GatewayRequest.newBuilder()
        .setSetCommunityGroup(
            SetCommunityGroup.newBuilder().setCommunity(community).setGroup(group))
        .build();
  }

  private static GatewayRequest join(final String community) {
    return GatewayRequest.newBuilder()
        .setJoinCommunity(JoinCommunity.newBuilder().setCommunity(community))
        .build();
  }

  private static GatewayRequest addIdentity(final String name) {
    return GatewayRequest.newBuilder()
        .setAddIdentity(AddIdentity.newBuilder().setName(name).setRole(IdentityRole.DEVICE))
        .build();
  }
}
