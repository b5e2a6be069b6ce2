package io.troupe.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.CommunityInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code troupe community}: parsing, and the group lines it prints (R16), without a gateway. */
class CommunityCommandTest {

  @Test
  void format_groupedCommunity_printsTheGroupItsMembersAndItsStatus() {
    final CommunityInfo crew =
        CommunityInfo.newBuilder()
            .setName("crew")
            .setOwner("own")
            .addMembers("own")
            .addAllowed("alice")
            .setGroup("cn=crew,dc=example,dc=org")
            .addGroupMembers("alice")
            .setGroupStatus("read 2 members; 1 have no identity here")
            .build();

    assertThat(MembersCommand.format(crew))
        .contains("\n  group: cn=crew,dc=example,dc=org\n")
        .contains("\n  group members: alice\n")
        .endsWith("\n  group status: read 2 members; 1 have no identity here\n");
  }

  @Test
  void format_communityWithoutAGroup_printsNoGroupLines() {
    assertThat(MembersCommand.format(CommunityInfo.newBuilder().setName("demo").build()))
        .doesNotContain("group");
  }

  @Test
  void group_emptyDn_isTakenAsDetaching() {
    final CommunityCommand.Group group = new CommunityCommand.Group();
    new CommandLine(group).parseArgs("crew", "");
    assertThat(group.name).isEqualTo("crew");
    assertThat(group.group).isEmpty();
  }

  @Test
  void create_withAGroup_parses() {
    final CommunityCommand.Create create = new CommunityCommand.Create();
    new CommandLine(create).parseArgs("crew", "--group", "cn=crew,dc=example,dc=org");
    assertThat(create.group).isEqualTo("cn=crew,dc=example,dc=org");
    assertThat(create.open).isFalse();
  }

  @Test
  void help_listsCommunityAndItsSubcommands() {
    final StringWriter out = new StringWriter();
    assertThat(
            TroupeCli.run(
                new PrintWriter(out), new PrintWriter(new StringWriter()), "community", "--help"))
        .isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("create").contains("group").contains("show");
  }
}
