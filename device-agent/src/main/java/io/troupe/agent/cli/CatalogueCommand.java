package io.troupe.agent.cli;

import io.troupe.proto.v1.BrowseResult;
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
    description =
        "Lists the services that may be started in a community of your own, as any identity.")
final class CatalogueCommand implements Callable<Integer> {

  @Mixin Connection connection;

  @Mixin ApiUser asUser;

  @Mixin JsonOutput output;

  @Override
  public Integer call() {
    return ApiUser.print(
        connection, output.format(catalogue(connection, asUser), CatalogueCommand::format));
  }

  /** {@code ADDRESS SERVICE} a line. */
  static String format(final BrowseResult catalogue) {
    final StringBuilder text = new StringBuilder();
    for (final ServiceInfo entry : catalogue.getCatalogueList()) {
      text.append(entry.getAddress()).append(' ').append(entry.getService()).append('\n');
    }
    return text.toString();
  }

  /** The catalogue's entries, as {@code user}. */
  static List<ServiceInfo> entries(final Connection connection, final ApiUser user) {
    return catalogue(connection, user).getCatalogueList();
  }

  private static BrowseResult catalogue(final Connection connection, final ApiUser user) {
    final GatewayRequest browse =
        GatewayRequest.newBuilder()
            .setBrowseServices(BrowseServices.newBuilder().setCatalogue(true))
            .build();
    return user.call(connection, "browse the catalogue", browse).getBrowse();
  }
}
