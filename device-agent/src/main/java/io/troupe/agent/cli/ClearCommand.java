package io.troupe.agent.cli;

import io.troupe.proto.v1.ClearRetained;
import io.troupe.proto.v1.GatewayRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code troupe clear TOPIC_FILTER}: clears the retained messages under {root}/c/ it matches. */
@Command(
    name = "clear",
    mixinStandardHelpOptions = true,
    description =
        "Clears the retained messages under the topic root's c/ that an MQTT topic filter matches,"
            + " as an admin, or as a community's owner for filters inside that community.")
final class ClearCommand implements Callable<Integer> {

  @Mixin Connection connection;

  @Mixin ApiUser asUser;

  @Parameters(
      index = "0",
      paramLabel = "TOPIC_FILTER",
      description = "Such as troupe/c/demo/# (wildcards + and # allowed).")
  String filter;

  @Override
  public Integer call() {
    asUser.call(
        connection,
        "clear " + filter,
        GatewayRequest.newBuilder()
            .setClearRetained(ClearRetained.newBuilder().setTopicFilter(filter))
            .build());
    return ApiUser.print(connection, "cleared " + filter + "\n");
  }
}
