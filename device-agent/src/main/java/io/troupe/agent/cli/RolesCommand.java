package io.troupe.agent.cli;

import io.troupe.proto.v1.AssignRoles;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.ServerRole;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe roles SERVICE --community NAME --primary DEVICE …}: the community's owner assigns
 * roles by hand (R1). A new primary makes the old one a secondary; each device whose role changed
 * is told by the gateway. Prints {@code DEVICE ROLE} for each assignment.
 */
@Command(
    name = "roles",
    mixinStandardHelpOptions = true,
    description =
        "Assigns the primary, secondaries and volunteers of a service, as the community's owner or"
            + " an admin.")
final class RolesCommand implements Callable<Integer> {

  @Mixin Connection connection;

  @Mixin ApiUser asUser;

  @Parameters(index = "0", description = "The service's name.")
  String service;

  @Option(names = "--community", required = true, description = "The service's community.")
  String community;

  @Option(names = "--primary", description = "The device to make primary.")
  String primary;

  @Option(names = "--secondary", description = "A device to make secondary (repeatable).")
  List<String> secondaries = new ArrayList<>();

  @Option(names = "--volunteer", description = "A device to make volunteer (repeatable).")
  List<String> volunteers = new ArrayList<>();

  @Override
  public Integer call() {
    final Map<String, ServerRole> roles = new LinkedHashMap<>();
    secondaries.forEach(d -> roles.put(d, ServerRole.SECONDARY));
    volunteers.forEach(d -> roles.put(d, ServerRole.VOLUNTEER));
    if (primary != null) {
      roles.put(primary, ServerRole.PRIMARY);
    }
    if (roles.isEmpty()) {
      throw new ParameterException(
          connection.spec.commandLine(), "name a --primary, --secondary or --volunteer");
    }
    asUser.call(
        connection,
        "assign roles of " + service + " in " + community,
        GatewayRequest.newBuilder()
            .setAssignRoles(
                AssignRoles.newBuilder()
                    .setCommunity(community)
                    .setService(service)
                    .putAllRoles(roles))
            .build());
    final StringBuilder text = new StringBuilder();
    roles.forEach((device, role) -> text.append(device).append(' ').append(role).append('\n'));
    return ApiUser.print(connection, text.toString());
  }
}
