package io.troupe.agent.cli;

import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.BrowseResult;
import io.troupe.proto.v1.BrowseServices;
import io.troupe.proto.v1.CommunityInfo;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.ServiceInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe browse [COMMUNITY]}: the communities the user may see and their services, one
 * community a line and its services' addresses indented under it. The owner and admins also see the
 * member lists; elsewhere the gateway leaves them out (and the owner, where a service hides its
 * servers).
 */
@Command(
    name = "browse",
    mixinStandardHelpOptions = true,
    description =
        "Lists the communities and their services (or only COMMUNITY's), as any identity; their"
            + " owners and admins also see who may join.")
final class BrowseCommand implements Callable<Integer> {

  @Mixin Connection connection;

  @Mixin ApiUser asUser;

  @Mixin JsonOutput output;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "COMMUNITY",
      description = "Only this community (default: every one).")
  String community = "";

  @Override
  public Integer call() {
    final BrowseResult result =
        asUser
            .call(
                connection,
                community.isEmpty() ? "browse" : "browse " + community,
                GatewayRequest.newBuilder()
                    .setBrowseServices(BrowseServices.newBuilder().setCommunity(community))
                    .build())
            .getBrowse();
    return ApiUser.print(connection, output.format(result, BrowseCommand::format));
  }

  /** A line per community, then a line per service: its address and name. */
  static String format(final BrowseResult result) {
    final StringBuilder text = new StringBuilder();
    for (final CommunityInfo c : result.getCommunitiesList()) {
      text.append(c.getName())
          .append(c.getOpen() ? " open" : " closed")
          .append(", anonymity ")
          .append(anonymity(c.getAnonymity()))
          .append(c.getOwner().isEmpty() ? "" : ", owner " + c.getOwner());
      if (c.getMembersCount() > 0) {
        text.append(", members ").append(String.join(" ", c.getMembersList()));
      }
      text.append('\n');
      for (final ServiceInfo s : c.getServicesList()) {
        text.append("  ").append(s.getAddress()).append(' ').append(s.getService()).append('\n');
      }
    }
    return text.toString();
  }

  /** NAMED where unset, as the gateway applies it. */
  static String anonymity(final Anonymity anonymity) {
    return anonymity == Anonymity.ANONYMITY_UNSPECIFIED ? Anonymity.NAMED.name() : anonymity.name();
  }
}
