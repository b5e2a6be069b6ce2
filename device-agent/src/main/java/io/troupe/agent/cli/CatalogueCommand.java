package io.troupe.agent.cli;

import io.troupe.agent.api.TroupeConsumer;
import io.troupe.proto.v1.BrowseServices;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.ServiceInfo;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code troupe catalogue}: the services that may be started elsewhere (R18), one a line: the
 * address to give {@code troupe start}, then the service's name.
 */
@Command(
    name = "catalogue",
    mixinStandardHelpOptions = true,
    description = "Lists the services that may be started in a community of your own.")
final class CatalogueCommand implements Callable<Integer> {

  @Mixin Connection connection;

  @Option(
      names = {"-u", "--user"},
      defaultValue = "${env:TROUPE_USER}",
      description = "Identity (or the environment variable TROUPE_USER).")
  String user;

  @Override
  public Integer call() {
    for (final ServiceInfo entry : entries(connection, user)) {
      System.out.println(entry.getAddress() + " " + entry.getService());
    }
    return ExitCodes.OK;
  }

  /** The catalogue, as {@code user}. */
  static List<ServiceInfo> entries(final Connection connection, final String user) {
    final GatewayRequest browse =
        GatewayRequest.newBuilder()
            .setBrowseServices(BrowseServices.newBuilder().setCatalogue(true))
            .build();
    return call(connection, user, "browse the catalogue", browse).getBrowse().getCatalogueList();
  }

  /** One API call as {@code user}; a failure ends the command with its status's exit code. */
  static GatewayResponse call(
      final Connection connection,
      final String user,
      final String what,
      final GatewayRequest request) {
    try (TroupeConsumer client = connect(connection, user)) {
      return Failed.attempt(what, client.gatewayApi(request));
    }
  }

  /** A client connected as {@code user}; a failure ends the command with its exit code. */
  static TroupeConsumer connect(final Connection connection, final String user) {
    if (user == null || user.isEmpty()) {
      throw new ParameterException(
          connection.spec.commandLine(), "an identity is required: --user or TROUPE_USER");
    }
    final TroupeConsumer client = connection.consumer(user, connection.password("TROUPE_PASSWORD"));
    try {
      Failed.attempt("connect as " + user, client.connect());
      return client;
    } catch (final RuntimeException e) {
      client.close();
      throw e;
    }
  }
}
