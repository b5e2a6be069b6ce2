package io.troupe.agent.cli;

import io.troupe.proto.v1.DeleteCommunity;
import io.troupe.proto.v1.DeleteService;
import io.troupe.proto.v1.GatewayRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe delete COMMUNITY [--service NAME]}: deletes a community with its services and
 * retained topics, or one service of it with all its servers.
 */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description =
        "Deletes a community with its services, or with --service one service of it, as the"
            + " community's owner or an admin.")
final class DeleteCommand implements Callable<Integer> {

  @Mixin Connection connection;

  @Mixin ApiUser asUser;

  @Parameters(index = "0", paramLabel = "COMMUNITY", description = "Such as demo.")
  String community;

  @Option(
      names = "--service",
      paramLabel = "NAME",
      description = "Delete only this service of the community, with all its servers.")
  String service;

  @Override
  public Integer call() {
    if (service == null) {
      asUser.call(
          connection,
          "delete " + community,
          GatewayRequest.newBuilder()
              .setDeleteCommunity(DeleteCommunity.newBuilder().setCommunity(community))
              .build());
      return ApiUser.print(connection, "deleted " + community + "\n");
    }
    asUser.call(
        connection,
        "delete " + service + " in " + community,
        GatewayRequest.newBuilder()
            .setDeleteService(
                DeleteService.newBuilder().setCommunity(community).setService(service))
            .build());
    return ApiUser.print(connection, "deleted " + service + " in " + community + "\n");
  }
}
