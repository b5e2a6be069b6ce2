package io.troupe.agent.cli;

import io.troupe.proto.v1.UsageReport;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code troupe usage [--identity NAME]}: each access policy that applies to a consumer, what it
 * has used of each limit, what is left and when a used-up quota frees up.
 */
@Command(
    name = "usage",
    mixinStandardHelpOptions = true,
    description =
        "Shows each limit that applies to you (an admin: to --identity), what you have used of it,"
            + " what is left and when it frees up.")
final class UsageCommand implements Callable<Integer> {

  /** What "frees in" counts from; a test gives a fixed one. */
  Clock clock = Clock.systemUTC();

  @Mixin Connection connection;

  @Mixin ApiUser asUser;

  @Option(
      names = "--identity",
      paramLabel = "NAME",
      description = "Whose usage: an admin may name anyone; default: you.")
  String identity = "";

  @Mixin JsonOutput output;

  @Override
  public Integer call() {
    final UsageReport report =
        PolicyCommand.ask(
            connection,
            asUser,
            "show the usage" + (identity.isEmpty() ? "" : " of " + identity),
            p -> p.usage(identity));
    final long now = clock.millis();
    return ApiUser.print(connection, output.format(report, r -> PolicyText.usage(r, now)));
  }
}
