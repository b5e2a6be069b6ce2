package io.troupe.agent.cli;

import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.CommunityInfo;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.UpdateCommunity;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe members COMMUNITY [--add ID]... [--remove ID]... [--open|--close] [--anonymity A]}:
 * who may join a community (UpdateCommunity). An identity removed from the list leaves the
 * community. Prints the community as the gateway now holds it.
 */
@Command(
    name = "members",
    mixinStandardHelpOptions = true,
    description =
        "Changes who may join a community (add, remove, open, close) and its least anonymity, as"
            + " the community's owner or an admin; prints the community as it now is.")
final class MembersCommand implements Callable<Integer> {

  @Mixin Connection connection;

  @Mixin ApiUser asUser;

  @Parameters(index = "0", paramLabel = "COMMUNITY", description = "Such as demo.")
  String community;

  @Option(
      names = "--add",
      paramLabel = "ID",
      description = "An identity that may join (repeatable).")
  List<String> add = new ArrayList<>();

  @Option(
      names = "--remove",
      paramLabel = "ID",
      description = "An identity that may no longer join; it leaves the community (repeatable).")
  List<String> remove = new ArrayList<>();

  static final class Openness {
    @Option(names = "--open", description = "Let any device identity join.")
    boolean open;

    @Option(names = "--close", description = "Let only the owner and the listed identities join.")
    boolean close;
  }

  @ArgGroup(exclusive = true)
  Openness openness;

  @Option(
      names = "--anonymity",
      paramLabel = "A",
      description =
          "The least anonymity of the community's services: NAMED, ANONYMOUS_TO_CONSUMERS or"
              + " ANONYMOUS_TO_ALL; unset keeps it.")
  Anonymity anonymity;

  @Override
  public Integer call() {
    if (anonymity == Anonymity.UNRECOGNIZED || anonymity == Anonymity.ANONYMITY_UNSPECIFIED) {
      throw new ParameterException(
          connection.spec.commandLine(),
          "--anonymity must be NAMED, ANONYMOUS_TO_CONSUMERS or ANONYMOUS_TO_ALL");
    }
    final UpdateCommunity.Builder update =
        UpdateCommunity.newBuilder()
            .setCommunity(community)
            .addAllAddMembers(add)
            .addAllRemoveMembers(remove);
    if (openness != null) {
      update.setOpen(openness.open);
    }
    if (anonymity != null) {
      update.setAnonymity(anonymity);
    }
    final CommunityInfo now =
        asUser
            .call(
                connection,
                "update the members of " + community,
                GatewayRequest.newBuilder().setUpdateCommunity(update).build())
            .getCommunity();
    return ApiUser.print(connection, format(now));
  }

  /** {@code NAME open|closed, anonymity A, owner O}, then the members and who else may join. */
  static String format(final CommunityInfo c) {
    return c.getName()
        + (c.getOpen() ? " open" : " closed")
        + ", anonymity "
        + BrowseCommand.anonymity(c.getAnonymity())
        + (c.getOwner().isEmpty() ? "" : ", owner " + c.getOwner())
        + "\n  members: "
        + String.join(" ", c.getMembersList())
        + "\n  may join: "
        + String.join(" ", c.getAllowedList())
        + "\n"
        + groupLines(c);
  }

  /** Where it follows a directory group (R16): the group, who it gave, what its refresh found. */
  static String groupLines(final CommunityInfo c) {
    if (c.getGroup().isEmpty()) {
      return "";
    }
    return "  group: "
        + c.getGroup()
        + "\n  group members: "
        + String.join(" ", c.getGroupMembersList())
        + "\n  group status: "
        + c.getGroupStatus()
        + "\n";
  }
}
