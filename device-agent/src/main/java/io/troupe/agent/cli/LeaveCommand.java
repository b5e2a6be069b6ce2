package io.troupe.agent.cli;

import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.LeaveCommunity;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe leave COMMUNITY}: a member leaves a community; its server entries go and the next
 * server of each of its services is promoted.
 */
@Command(
    name = "leave",
    mixinStandardHelpOptions = true,
    description = "Leaves a community, as a member of it: you stop serving its services.")
final class LeaveCommand implements Callable<Integer> {

  @Mixin Connection connection;

  @Mixin ApiUser asUser;

  @Parameters(index = "0", paramLabel = "COMMUNITY", description = "Such as demo.")
  String community;

  @Override
  public Integer call() {
    asUser.call(
        connection,
        "leave " + community,
        GatewayRequest.newBuilder()
            .setLeaveCommunity(LeaveCommunity.newBuilder().setCommunity(community))
            .build());
    return ApiUser.print(connection, asUser.user + " left " + community + "\n");
  }
}
