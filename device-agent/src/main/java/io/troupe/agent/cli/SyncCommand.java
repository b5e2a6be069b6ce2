package io.troupe.agent.cli;

import io.troupe.proto.v1.Conflict;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.SyncReport;
import io.troupe.proto.v1.SyncRow;
import io.troupe.proto.v1.SyncService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe sync ADDRESS}: tells every server of a synchronised service the merged descriptor
 * and asks each to publish its own now (R4), and prints how far each server is, then the conflicts
 * the gateway resolved. A server of the service, its community's owner or an admin may ask.
 */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description =
        "Synchronises a service's content now: each server is told the merged descriptor and"
            + " reports its own; prints how far each server is and the conflicts resolved.")
final class SyncCommand implements Callable<Integer> {

  @Mixin Connection connection;

  @Mixin ApiUser asUser;

  @Parameters(index = "0", paramLabel = "ADDRESS", description = "Such as notes.demo.")
  String address;

  @Mixin JsonOutput output;

  @Override
  public Integer call() {
    final GatewayRequest sync =
        GatewayRequest.newBuilder()
            .setSyncService(SyncService.newBuilder().setAddress(address))
            .build();
    final SyncReport report = asUser.call(connection, "sync " + address, sync).getSync();
    return ApiUser.print(connection, output.format(report, SyncCommand::format));
  }

  /**
   * The report as text: a line about the merged descriptor, a line per server, a line per conflict.
   */
  static String format(final SyncReport report) {
    final StringBuilder text = new StringBuilder();
    text.append("sync: ")
        .append(report.getAddress())
        .append(" holds ")
        .append(report.getItems())
        .append(" items, ")
        .append(report.getBytes())
        .append(" bytes, version ")
        .append(report.getVersion())
        .append('\n');
    final List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("SERVER", "REPORTED", "BEHIND"));
    for (final SyncRow r : report.getServersList()) {
      rows.add(
          List.of(
              r.getServer(),
              r.getReported() ? "yes" : "no",
              r.getReported() && r.getBehind() == 0 ? "in sync" : r.getBehind() + " items"));
    }
    text.append(TableCommand.columns(rows));
    return text.append(conflicts(report.getConflictsList())).toString();
  }

  /** A {@code conflict:} line per conflict: the item, where the loser is kept, and the rule. */
  static String conflicts(final List<Conflict> conflicts) {
    final StringBuilder text = new StringBuilder();
    for (final Conflict c : conflicts) {
      text.append("conflict: ")
          .append(c.getItem())
          .append(c.getKeptAs().isEmpty() ? "" : " (other version kept as " + c.getKeptAs() + ")")
          .append(", ")
          .append(c.getRule())
          .append('\n');
    }
    return text.toString();
  }
}
