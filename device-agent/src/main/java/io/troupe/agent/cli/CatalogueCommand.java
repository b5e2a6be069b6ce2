package io.troupe.agent.cli;

import io.troupe.proto.v1.BrowseServices;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.ServiceInfo;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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

  @Mixin ApiUser asUser;

  @Override
  public Integer call() {
    final StringBuilder text = new StringBuilder();
    for (final ServiceInfo entry : entries(connection, asUser)) {
      text.append(entry.getAddress()).append(' ').append(entry.getService()).append('\n');
    }
    return ApiUser.print(connection, text.toString());
  }

  /** The catalogue, as {@code user}. */
  static List<ServiceInfo> entries(final Connection connection, final ApiUser user) {
    final GatewayRequest browse =
        GatewayRequest.newBuilder()
            .setBrowseServices(BrowseServices.newBuilder().setCatalogue(true))
            .build();
    return user.call(connection, "browse the catalogue", browse).getBrowse().getCatalogueList();
  }
}
