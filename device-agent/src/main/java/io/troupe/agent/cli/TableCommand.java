package io.troupe.agent.cli;

import io.troupe.agent.api.TroupeConsumer;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.LoadRow;
import io.troupe.proto.v1.LoadTable;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.ShowTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code troupe table SERVICE_ADDRESS [--watch]}: the service's load-balancing table as the gateway
 * sees it, a row per server; with {@code --watch}, again every second until interrupted. Members of
 * the service's community, its owner and admins may look; where the service hides its servers from
 * the members, they see pseudonyms.
 */
@Command(
    name = "table",
    mixinStandardHelpOptions = true,
    description =
        "Shows a service's load-balancing table: each server's state and load, as a member of its"
            + " community, its owner or an admin.")
final class TableCommand implements Callable<Integer> {

  /** Clears a terminal and puts the cursor home: what {@code watch} does between refreshes. */
  private static final String CLEAR = "\033[H\033[2J";

  @Mixin Connection connection;

  @Mixin ApiUser asUser;

  @Parameters(index = "0", paramLabel = "SERVICE_ADDRESS", description = "Such as echo.demo.")
  String address;

  @Option(names = "--watch", description = "Refresh every second until Ctrl-C.")
  boolean watch;

  @Mixin JsonOutput output;

  @Override
  public Integer call() throws InterruptedException {
    final GatewayRequest show =
        GatewayRequest.newBuilder()
            .setShowTable(ShowTable.newBuilder().setAddress(address))
            .build();
    if (!watch) {
      return ApiUser.print(
          connection,
          output.format(
              asUser.call(connection, "show " + address, show).getTable(), TableCommand::format));
    }
    final PrintWriter out = connection.spec.commandLine().getOut();
    try (TroupeConsumer client = asUser.connect(connection)) {
      while (!Thread.currentThread().isInterrupted()) {
        final LoadTable table =
            Failed.attempt("show " + address, client.gatewayApi(show)).getTable();
        out.print(output.json ? JsonOutput.json(table) : CLEAR + format(table));
        out.flush();
        Thread.sleep(1_000);
      }
    }
    return ExitCodes.OK;
  }

  /** The table as text: a line about the service, then aligned columns, a row per server. */
  static String format(final LoadTable table) {
    final StringBuilder text = new StringBuilder();
    text.append(table.getAddress())
        .append(" (community ")
        .append(table.getCommunity())
        .append(", service ")
        .append(table.getService())
        .append(", rule ")
        .append(rule(table))
        .append(")\n");
    final List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "SERVER",
            "ROLE",
            "ENABLED",
            "AVAILABILITY",
            "PRESENCE",
            "IN-PROGRESS",
            "LOAD",
            "BATTERY",
            "NETWORK",
            "STATUS-AGE",
            "SERVED",
            "FAILED"));
    for (final LoadRow r : table.getServersList()) {
      rows.add(
          List.of(
              r.getServer(),
              r.getRole().name(),
              r.getEnabled() ? "yes" : "no",
              availability(r),
              r.getPresence().name().replace("PRESENCE_", ""),
              r.getInProgress() + "/" + (r.getMaxInProgress() == 0 ? "-" : r.getMaxInProgress()),
              String.format(Locale.ROOT, "%.2f", r.getLoad()),
              r.getBatteryPercent() == 0 && !r.getCharging()
                  ? "-"
                  : r.getBatteryPercent() + "%" + (r.getCharging() ? "+" : ""),
              r.getNetworkTypeValue() == 0 ? "-" : r.getNetworkType().name(),
              r.getStatusAgeMs() < 0 ? "never" : age(r.getStatusAgeMs()),
              Long.toString(r.getServed()),
              Long.toString(r.getFailed())));
    }
    text.append(columns(rows));
    if (table.hasSync()) {
      text.append(SyncCommand.format(table.getSync()));
    }
    return text.toString();
  }

  /** What the server reported, and the first criterion that keeps it from serving now. */
  private static String availability(final LoadRow r) {
    return r.getCriteriaUnmet().isEmpty()
        ? r.getAvailability().name()
        : r.getAvailability().name() + " (" + r.getCriteriaUnmet() + ")";
  }

  private static String rule(final LoadTable table) {
    if (!table.getRule().getRedirectTo().isEmpty()) {
      return "REDIRECT to " + table.getRule().getRedirectTo();
    }
    return table.getRule().getOrder() == RequestOrder.REQUEST_ORDER_UNSPECIFIED
        ? RequestOrder.PRIMARY_FIRST.name()
        : table.getRule().getOrder().name();
  }

  /** {@code 850ms}, {@code 12.3s}: one word, so that a script can split the columns. */
  private static String age(final long ms) {
    return ms < 1_000 ? ms + "ms" : String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
  }

  /** Left-aligned columns two spaces apart. */
  static String columns(final List<List<String>> rows) {
    final int[] widths = new int[rows.get(0).size()];
    for (final List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    final StringBuilder text = new StringBuilder();
    for (final List<String> row : rows) {
      final StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(row.get(i)).append(" ".repeat(widths[i] - row.get(i).length() + 2));
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }
}
