package io.troupe.agent.cli;

import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.SetDistributionRule;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe rule ADDRESS --order LEAST_LOADED …}: the community's owner sets a service's
 * distribution rule live (R6): the order requests take, a manual redirect to a named server (the
 * service suspended for a while; an empty one ends it) and the anonymity. Takes effect on the next
 * request; every server of the service is told on its control topic. Prints the address and order.
 */
@Command(
    name = "rule",
    mixinStandardHelpOptions = true,
    description = "Sets the distribution rule of a service, as its owner.")
final class RuleCommand implements Callable<Integer> {

  @Mixin Connection connection;

  @Mixin ApiUser asUser;

  @Parameters(index = "0", description = "The service's address, such as echo.demo.")
  String address;

  @Option(
      names = "--order",
      defaultValue = "PRIMARY_FIRST",
      description = "PRIMARY_FIRST (default), SECONDARY_FIRST, LEAST_LOADED or WEIGHTED.")
  RequestOrder order;

  @Option(
      names = "--redirect",
      defaultValue = "",
      description = "Send every request to this server; none ends a redirect.")
  String redirect;

  @Option(
      names = "--anonymity",
      description = "NAMED, ANONYMOUS_TO_CONSUMERS or ANONYMOUS_TO_ALL; unset keeps it.")
  Anonymity anonymity;

  @Override
  public Integer call() {
    if (order == RequestOrder.UNRECOGNIZED || anonymity == Anonymity.UNRECOGNIZED) {
      throw new ParameterException(
          connection.spec.commandLine(), "name an order and an anonymity the gateway knows");
    }
    final DistributionRule.Builder rule =
        DistributionRule.newBuilder().setOrder(order).setRedirectTo(redirect);
    if (anonymity != null) {
      rule.setAnonymity(anonymity);
    }
    asUser.call(
        connection,
        "set the rule of " + address,
        GatewayRequest.newBuilder()
            .setSetDistributionRule(
                SetDistributionRule.newBuilder().setAddress(address).setRule(rule))
            .build());
    return ApiUser.print(
        connection, address + " " + order + (redirect.isEmpty() ? "" : " to " + redirect) + "\n");
  }
}
