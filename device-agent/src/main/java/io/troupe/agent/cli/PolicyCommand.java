package io.troupe.agent.cli;

import io.troupe.agent.api.AccessPolicies;
import io.troupe.agent.api.TroupeConsumer;
import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.PolicyList;
import io.troupe.proto.v1.PolicyScope;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code troupe policy set|show|clear SCOPE [TARGET]}: the gateway's access policies (R12), per
 * consumer identity, on the gateway, a community, a service or a server.
 */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description =
        "Sets, shows or clears access policies: limits each consumer identity has on the gateway,"
            + " a community, a service or a server. The gateway's policy: an admin; a community's"
            + " or a service's: its owner or an admin; a server's: the device itself, its"
            + " community's owner or an admin.",
    subcommands = {PolicyCommand.Set.class, PolicyCommand.Show.class, PolicyCommand.Clear.class})
final class PolicyCommand {

  private PolicyCommand() {}

  /** {@code gateway}, {@code community}, {@code service} or {@code server}, in any case. */
  static final class ScopeConverter implements ITypeConverter<PolicyScope> {
    @Override
    public PolicyScope convert(final String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "gateway" -> PolicyScope.GATEWAY;
        case "community" -> PolicyScope.COMMUNITY;
        case "service" -> PolicyScope.SERVICE;
        case "server" -> PolicyScope.SERVER;
        default ->
            throw new TypeConversionException(
                "'" + value + "' is not a scope: gateway, community, service or server");
      };
    }
  }

  /** The scope and target a subcommand is about, the connection and the identity it asks as. */
  static class Target {
    @Mixin Connection connection;

    @Mixin ApiUser asUser;

    @Parameters(
        index = "0",
        paramLabel = "SCOPE",
        converter = ScopeConverter.class,
        description = "gateway, community, service or server.")
    PolicyScope scope;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "TARGET",
        description =
            "The community's name, the service's address (echo.demo) or the server's device id;"
                + " none for the gateway.")
    String target = "";

    String checkedTarget() {
      return PolicyCommand.checkedTarget(connection, scope, target);
    }

    <T> T ask(final String what, final Function<AccessPolicies, CompletableFuture<T>> question) {
      return PolicyCommand.ask(connection, asUser, what, question);
    }
  }

  /** {@code target} as the gateway holds it; a usage error when it does not fit {@code scope}. */
  static String checkedTarget(
      final Connection connection, final PolicyScope scope, final String target) {
    try {
      return AccessPolicies.policy(scope, target).getTarget();
    } catch (final IllegalArgumentException e) {
      throw new ParameterException(connection.spec.commandLine(), e.getMessage());
    }
  }

  /** Asks once as the user, a failure ending the command with its status's exit code. */
  static <T> T ask(
      final Connection connection,
      final ApiUser asUser,
      final String what,
      final Function<AccessPolicies, CompletableFuture<T>> question) {
    try (TroupeConsumer client = asUser.connect(connection)) {
      return Failed.attempt(what, question.apply(client.policies()));
    }
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description =
          "Sets the policy of SCOPE [TARGET], replacing the whole policy there (a limit left out"
              + " is no limit), and prints it. Applies from each consumer's next request. Sizes"
              + " and rates count 1KB = 1KiB = 1024 bytes.")
  static final class Set extends Target implements Callable<Integer> {

    @Option(
        names = "--bandwidth",
        paramLabel = "RATE",
        converter = Units.RateConverter.class,
        description = "Per consumer, such as 100KB/s: faster requests wait their turn.")
    Long bandwidth;

    @Option(
        names = "--quota",
        paramLabel = "SIZE",
        converter = Units.SizeConverter.class,
        description = "Bytes per consumer, both ways, over --window, such as 50MB.")
    Long quota;

    @Option(
        names = "--window",
        paramLabel = "DURATION",
        converter = Units.WindowConverter.class,
        description = "The rolling window of --quota and --max-ratio, such as 10s, 5m, 24h or 1d.")
    Duration window;

    @Option(
        names = "--max-connections",
        paramLabel = "N",
        description =
            "Per consumer: on the gateway or a community, MQTT sessions open at once; on a service"
                + " or a server, requests in flight at once.")
    Integer maxConnections;

    @Option(
        names = "--max-ratio",
        paramLabel = "R",
        description =
            "Bytes a consumer sends per byte it is sent, at most, over --window, such as 2.5.")
    Double maxRatio;

    @Override
    public Integer call() {
      final AccessPolicy policy = policy();
      final AccessPolicy held =
          ask(
              "set the policy of " + PolicyText.scopeAndTarget(scope, policy.getTarget()),
              p -> p.set(policy));
      return ApiUser.print(connection, PolicyText.policies(List.of(held)));
    }

    /** The policy the options ask for; a usage error for a limit without its other half. */
    AccessPolicy policy() {
      final AccessPolicy.Builder policy = AccessPolicy.newBuilder().setScope(scope);
      policy.setTarget(checkedTarget());
      if (quota != null && window == null) {
        throw usage("--quota needs --window, such as --quota 50MB --window 24h");
      }
      if (maxRatio != null && window == null) {
        throw usage("--max-ratio needs --window, such as --max-ratio 2 --window 1h");
      }
      if (window != null && quota == null && maxRatio == null) {
        throw usage("--window is the window of --quota or --max-ratio: give one of them");
      }
      if (bandwidth == null && quota == null && maxConnections == null && maxRatio == null) {
        throw usage(
            "name at least one limit: --bandwidth, --quota with --window, --max-connections or"
                + " --max-ratio (to remove a policy: troupe policy clear)");
      }
      if (maxConnections != null && maxConnections <= 0) {
        throw usage("--max-connections must be positive: " + maxConnections);
      }
      if (maxRatio != null && !(maxRatio > 0 && Double.isFinite(maxRatio))) {
        throw usage("--max-ratio must be a positive number: " + maxRatio);
      }
      if (bandwidth != null) {
        policy.setBandwidthBytesPerSecond(bandwidth);
      }
      if (quota != null) {
        policy.setQuotaBytes(quota);
      }
      if (window != null) {
        policy.setQuotaWindowSeconds(window.toSeconds());
      }
      if (maxConnections != null) {
        policy.setMaxConnections(maxConnections);
      }
      if (maxRatio != null) {
        policy.setMaxTransferRatio(maxRatio);
      }
      return policy.build();
    }

    private ParameterException usage(final String message) {
      return new ParameterException(connection.spec.commandLine(), message);
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Shows the policy of SCOPE [TARGET], or without SCOPE every policy you may see (an"
              + " admin: all).")
  static final class Show implements Callable<Integer> {

    @Mixin Connection connection;

    @Mixin ApiUser asUser;

    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "SCOPE",
        converter = ScopeConverter.class,
        description = "gateway, community, service or server; none: every policy.")
    PolicyScope scope;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TARGET", description = "As for set.")
    String target = "";

    @Mixin JsonOutput output;

    @Override
    public Integer call() {
      final List<AccessPolicy> policies;
      if (scope == null) {
        policies = ask(connection, asUser, "show the policies", AccessPolicies::show);
      } else {
        final String checked = checkedTarget(connection, scope, target);
        policies =
            ask(
                connection,
                asUser,
                "show the policy of " + PolicyText.scopeAndTarget(scope, checked),
                p -> p.show(scope, checked));
      }
      return ApiUser.print(
          connection,
          output.format(
              PolicyList.newBuilder().addAllPolicies(policies).build(),
              list -> PolicyText.policies(list.getPoliciesList())));
    }
  }

  @Command(
      name = "clear",
      mixinStandardHelpOptions = true,
      description = "Removes the policy of SCOPE [TARGET]: no limits there from the next request.")
  static final class Clear extends Target implements Callable<Integer> {
    @Override
    public Integer call() {
      final String checked = checkedTarget();
      final String what = PolicyText.scopeAndTarget(scope, checked);
      ask("clear the policy of " + what, p -> p.clear(scope, checked));
      return ApiUser.print(connection, "cleared the policy of " + what + "\n");
    }
  }
}
