package io.troupe.agent.cli;

import io.troupe.agent.api.TroupeConsumer;
import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.LoadTable;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.SetDistributionRule;
import io.troupe.proto.v1.ShowTable;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe rule ADDRESS --order LEAST_LOADED …}: the community's owner changes a service's
 * distribution rule live (R6): the order requests take, a manual redirect to a named server (the
 * service suspended for a while; {@code none} ends it) and the anonymity. A patch: what is not
 * given keeps its value. Takes effect on the next request; every server of the service is told on
 * its control topic. Prints the rule the gateway then holds, read back from it.
 */
@Command(
    name = "rule",
    mixinStandardHelpOptions = true,
    description =
        "Changes the distribution rule of a service (what you leave out stays as it is) and prints"
            + " the rule the gateway now holds, as the community's owner or an admin.")
final class RuleCommand implements Callable<Integer> {

  /** The {@code --redirect} value that ends a redirect. */
  static final String NO_REDIRECT = "none";

  @Mixin Connection connection;

  @Mixin ApiUser asUser;

  @Parameters(index = "0", description = "The service's address, such as echo.demo.")
  String address;

  @Option(
      names = "--order",
      description = "PRIMARY_FIRST, SECONDARY_FIRST, LEAST_LOADED or WEIGHTED; unset keeps it.")
  RequestOrder order;

  @Option(
      names = "--redirect",
      paramLabel = "SERVER",
      description = "Send every request to this server; none ends a redirect; unset keeps it.")
  String redirect;

  @Option(
      names = "--anonymity",
      description = "NAMED, ANONYMOUS_TO_CONSUMERS or ANONYMOUS_TO_ALL; unset keeps it.")
  Anonymity anonymity;

  @Override
  public Integer call() {
    final SetDistributionRule set = request();
    try (TroupeConsumer client = asUser.connect(connection)) {
      Failed.attempt(
          "set the rule of " + address,
          client.gatewayApi(GatewayRequest.newBuilder().setSetDistributionRule(set).build()));
      final LoadTable now =
          Failed.attempt(
                  "read back the rule of " + address,
                  client.gatewayApi(
                      GatewayRequest.newBuilder()
                          .setShowTable(ShowTable.newBuilder().setAddress(address))
                          .build()))
              .getTable();
      return ApiUser.print(connection, format(now.getAddress(), now.getRule()));
    }
  }

  /** The patch the options ask for; a usage error when they ask for nothing or for no value. */
  SetDistributionRule request() {
    if (order == RequestOrder.UNRECOGNIZED
        || order == RequestOrder.REQUEST_ORDER_UNSPECIFIED
        || anonymity == Anonymity.UNRECOGNIZED
        || anonymity == Anonymity.ANONYMITY_UNSPECIFIED) {
      throw new ParameterException(
          connection.spec.commandLine(), "name an order and an anonymity the gateway knows");
    }
    if (order == null && redirect == null && anonymity == null) {
      throw new ParameterException(
          connection.spec.commandLine(), "name what to change: --order, --redirect or --anonymity");
    }
    if (redirect != null && redirect.isEmpty()) {
      throw new ParameterException(
          connection.spec.commandLine(), "--redirect needs a server, or none to end a redirect");
    }
    final DistributionRule.Builder rule = DistributionRule.newBuilder();
    final SetDistributionRule.Builder set =
        SetDistributionRule.newBuilder().setAddress(address).setPatch(true);
    if (order != null) {
      rule.setOrder(order);
    }
    if (anonymity != null) {
      rule.setAnonymity(anonymity);
    }
    if (NO_REDIRECT.equals(redirect)) {
      set.setEndRedirect(true);
    } else if (redirect != null) {
      rule.setRedirectTo(redirect);
    }
    return set.setRule(rule).build();
  }

  /** {@code ADDRESS ORDER [to SERVER] [anonymity A]}, the anonymity where it hides anyone. */
  static String format(final String address, final DistributionRule rule) {
    final RequestOrder order =
        rule.getOrder() == RequestOrder.REQUEST_ORDER_UNSPECIFIED
            ? RequestOrder.PRIMARY_FIRST
            : rule.getOrder();
    return address
        + " "
        + order
        + (rule.getRedirectTo().isEmpty() ? "" : " to " + rule.getRedirectTo())
        + (rule.getAnonymity() == Anonymity.ANONYMITY_UNSPECIFIED
                || rule.getAnonymity() == Anonymity.NAMED
            ? ""
            : " anonymity " + rule.getAnonymity())
        + "\n";
  }
}
