package io.troupe.agent.cli;

import io.troupe.proto.v1.BrowseServices;
import io.troupe.proto.v1.CommunityInfo;
import io.troupe.proto.v1.CreateCommunity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.SetCommunityGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe community create|group|show}: communities as a whole, those formed from a directory
 * group (R16) included. Each prints the community as the gateway now holds it ({@link
 * MembersCommand#format}, with the group's lines where it follows one).
 */
@Command(
    name = "community",
    mixinStandardHelpOptions = true,
    description =
        "Creates a community (as a device identity or an admin), makes it follow a directory"
            + " group or shows it (as its owner or an admin).",
    subcommands = {
      CommunityCommand.Create.class,
      CommunityCommand.Group.class,
      CommunityCommand.Show.class
    })
final class CommunityCommand {

  /** {@code troupe community create NAME [--group DN] [--member ID]... [--open]}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Creates a closed community owned by the user; with --group, the members of that"
              + " directory group may join it, refreshed from the gateway's directory.")
  static final class Create implements Callable<Integer> {
    @Mixin Connection connection;
    @Mixin ApiUser asUser;

    @Parameters(index = "0", paramLabel = "NAME", description = "Such as demo.")
    String name;

    @Option(
        names = "--group",
        paramLabel = "DN",
        description =
            "A directory group whose members may join, such as cn=crew,dc=example,dc=org.")
    String group = "";

    @Option(names = "--member", paramLabel = "ID", description = "An identity that may join.")
    List<String> members = new ArrayList<>();

    @Option(names = "--open", description = "Let any device identity join.")
    boolean open;

    @Override
    public Integer call() {
      final GatewayResponse created =
          asUser.call(
              connection,
              "create " + name,
              GatewayRequest.newBuilder()
                  .setCreateCommunity(
                      CreateCommunity.newBuilder()
                          .setName(name)
                          .setGroup(group)
                          .addAllMembers(members)
                          .setOpen(open))
                  .build());
      return ApiUser.print(connection, MembersCommand.format(created.getCommunity()));
    }
  }

  /** {@code troupe community group NAME DN}: an empty DN detaches the community. */
  @Command(
      name = "group",
      mixinStandardHelpOptions = true,
      description =
          "Makes a community follow a directory group, as its owner or an admin: the group's"
              + " members may join, and one removed from the group loses its place at the next"
              + " refresh. An empty DN ('') detaches it; the members it gave stay allowed.")
  static final class Group implements Callable<Integer> {
    @Mixin Connection connection;
    @Mixin ApiUser asUser;

    @Parameters(index = "0", paramLabel = "NAME", description = "Such as demo.")
    String name;

    @Parameters(index = "1", paramLabel = "DN", description = "The group's DN, or ''.")
    String group;

    @Override
    public Integer call() {
      final GatewayResponse set =
          asUser.call(
              connection,
              "set the group of " + name,
              GatewayRequest.newBuilder()
                  .setSetCommunityGroup(
                      SetCommunityGroup.newBuilder().setCommunity(name).setGroup(group))
                  .build());
      return ApiUser.print(connection, MembersCommand.format(set.getCommunity()));
    }
  }

  /** {@code troupe community show NAME}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Shows a community: its members and who may join to its owner or an admin, with its"
              + " directory group, the members the group gave and what the last refresh found.")
  static final class Show implements Callable<Integer> {
    @Mixin Connection connection;
    @Mixin ApiUser asUser;

    @Parameters(index = "0", paramLabel = "NAME", description = "Such as demo.")
    String name;

    @Override
    public Integer call() {
      final List<CommunityInfo> found =
          asUser
              .call(
                  connection,
                  "show " + name,
                  GatewayRequest.newBuilder()
                      .setBrowseServices(BrowseServices.newBuilder().setCommunity(name))
                      .build())
              .getBrowse()
              .getCommunitiesList();
      if (found.isEmpty()) {
        connection.spec.commandLine().getErr().println("troupe: no community '" + name + "'");
        return ExitCodes.NOT_FOUND;
      }
      return ApiUser.print(connection, MembersCommand.format(found.get(0)));
    }
  }
}
