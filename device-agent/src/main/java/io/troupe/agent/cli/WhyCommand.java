package io.troupe.agent.cli;

import io.troupe.proto.v1.DecisionRecord;
import io.troupe.proto.v1.Decisions;
import io.troupe.proto.v1.ExplainDecisions;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.SkippedServer;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe why ADDRESS}: the gateway's last routing decisions for the address, oldest first,
 * one a line: when, the request and its attempt, the server chosen and the rule that chose it, and
 * the servers skipped with the reason. Who may look, and what anonymity hides, as for {@code troupe
 * table}.
 */
@Command(
    name = "why",
    mixinStandardHelpOptions = true,
    description =
        "Shows the last routing decisions for an address and why they were taken, as a member of"
            + " its community, its owner or an admin.")
final class WhyCommand implements Callable<Integer> {

  @Mixin Connection connection;

  @Mixin ApiUser asUser;

  @Parameters(index = "0", paramLabel = "ADDRESS", description = "Such as echo.demo.")
  String address;

  @Mixin JsonOutput output;

  @Override
  public Integer call() {
    final GatewayRequest explain =
        GatewayRequest.newBuilder()
            .setExplainDecisions(ExplainDecisions.newBuilder().setAddress(address))
            .build();
    final Decisions decisions =
        asUser.call(connection, "explain " + address, explain).getDecisions();
    return ApiUser.print(connection, output.format(decisions, WhyCommand::format));
  }

  /** A line per decision; a line saying so when there is none. */
  static String format(final Decisions decisions) {
    if (decisions.getDecisionsCount() == 0) {
      return "no recent decisions for "
          + decisions.getAddress()
          + "\n"
          + SyncCommand.conflicts(decisions.getConflictsList());
    }
    final StringBuilder text = new StringBuilder();
    for (final DecisionRecord d : decisions.getDecisionsList()) {
      text.append(Instant.ofEpochMilli(d.getAtMs()))
          .append(' ')
          .append(d.getRequestId())
          .append(" attempt ")
          .append(d.getAttempt())
          .append(d.getArea().isEmpty() ? "" : " for area " + d.getArea())
          .append(": ")
          .append(chosen(d));
      if (d.getSkippedCount() > 0) {
        text.append("; skipped ")
            .append(
                d.getSkippedList().stream()
                    .map(WhyCommand::skipped)
                    .collect(Collectors.joining(", ")));
      }
      text.append('\n');
    }
    return text.append(SyncCommand.conflicts(decisions.getConflictsList())).toString();
  }

  /**
   * The server chosen and the rule that chose it; with none, what the gateway did instead (such as
   * asking a volunteer, R16), when it says.
   */
  private static String chosen(final DecisionRecord d) {
    if (!d.getServer().isEmpty()) {
      return d.getServer() + " by " + d.getRule();
    }
    return d.getRule().isEmpty() ? "no server" : "no server, " + d.getRule();
  }

  private static String skipped(final SkippedServer s) {
    return s.getServer() + " (" + s.getReason() + ")";
  }
}
