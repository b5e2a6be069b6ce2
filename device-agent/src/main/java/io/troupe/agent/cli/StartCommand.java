package io.troupe.agent.cli;

import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.NamingMode;
import io.troupe.proto.v1.ServiceInfo;
import io.troupe.proto.v1.StartService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe start SERVICE --community NAME}: starts a service of the catalogue in a new
 * community owned by the user, who becomes its primary (R18), and prints its address. Serve it then
 * with {@code troupe agent --community NAME --service SERVICE}.
 */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description =
        "Starts a service of the catalogue in a new community of your own and prints its address,"
            + " as a device.")
final class StartCommand implements Callable<Integer> {

  @Mixin Connection connection;

  @Mixin ApiUser asUser;

  @Parameters(
      index = "0",
      description = "The catalogue entry: its address, or its service name when only one has it.")
  String service;

  @Option(
      names = "--community",
      required = true,
      description = "The new community's name (closed, owned by you).")
  String community;

  @Option(names = "--member", description = "An identity that may join it (repeatable).")
  List<String> members = new ArrayList<>();

  @Option(
      names = "--naming",
      description = "subdomain ({community}.{service}, the default), domain or both.")
  String naming = "subdomain";

  @Override
  public Integer call() {
    final NamingMode mode = naming();
    final String address = entry(CatalogueCommand.entries(connection, asUser));
    final GatewayResponse started =
        asUser.call(
            connection,
            "start " + address + " in " + community,
            GatewayRequest.newBuilder()
                .setStartService(
                    StartService.newBuilder()
                        .setAddress(address)
                        .setCommunity(community)
                        .addAllMembers(members)
                        .setNaming(mode))
                .build());
    return ApiUser.print(connection, started.getRegistration().getAddress() + "\n");
  }

  private NamingMode naming() {
    return switch (naming) {
      case "subdomain" -> NamingMode.SUBDOMAIN;
      case "domain" -> NamingMode.DOMAIN;
      case "both" -> NamingMode.DOMAIN_AND_SUBDOMAIN;
      default ->
          throw new ParameterException(
              connection.spec.commandLine(),
              "--naming must be subdomain, domain or both, not '" + naming + "'");
    };
  }

  /** The address of the catalogue entry {@code service} names. */
  private String entry(final List<ServiceInfo> catalogue) {
    final List<String> matches =
        catalogue.stream()
            .filter(e -> e.getAddress().equals(service) || e.getService().equals(service))
            .map(ServiceInfo::getAddress)
            .distinct()
            .toList();
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.isEmpty()) {
      throw new io.troupe.agent.api.TroupeException(
          404, "'" + service + "' is not in the catalogue (see troupe catalogue)");
    }
    throw new ParameterException(
        connection.spec.commandLine(),
        "'" + service + "' names several catalogue entries; give one address: " + matches);
  }
}
