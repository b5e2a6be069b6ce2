package io.troupe.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.PolicyScope;
import io.troupe.proto.v1.UsageReport;
import io.troupe.proto.v1.UsageRow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code troupe policy} and {@code troupe usage}: parsing and output, without a gateway. */
class PolicyCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(final String... args) {
    return TroupeCli.run(new PrintWriter(out), new PrintWriter(err), args);
  }

  /** The policy {@code troupe policy set ARGS} would send, parsed but not sent. */
  private static AccessPolicy set(final String... args) {
    final CommandLine cli = TroupeCli.commandLine();
    final CommandLine.ParseResult parsed = cli.parseArgs(args);
    final PolicyCommand.Set set =
        (PolicyCommand.Set) parsed.subcommand().subcommand().commandSpec().userObject();
    return set.policy();
  }

  @Test
  void set_everyLimit_isSentInBytesAndSeconds() {
    assertThat(
            set(
                "policy",
                "set",
                "SERVICE",
                "Echo.Demo",
                "--bandwidth",
                "100KB/s",
                "--quota",
                "50MB",
                "--window",
                "24h",
                "--max-connections",
                "8",
                "--max-ratio",
                "2.5"))
        .isEqualTo(
            AccessPolicy.newBuilder()
                .setScope(PolicyScope.SERVICE)
                .setTarget("echo.demo")
                .setBandwidthBytesPerSecond(102_400)
                .setQuotaBytes(52_428_800)
                .setQuotaWindowSeconds(86_400)
                .setMaxConnections(8)
                .setMaxTransferRatio(2.5)
                .build());
  }

  @Test
  void set_gateway_hasNoTarget_andALimitLeftOutIsZero() {
    assertThat(set("policy", "set", "gateway", "--max-connections", "3"))
        .isEqualTo(
            AccessPolicy.newBuilder()
                .setScope(PolicyScope.GATEWAY)
                .setTarget("")
                .setMaxConnections(3)
                .build());
  }

  @Test
  void set_server_keepsTheDeviceIdAsGiven() {
    assertThat(set("policy", "set", "server", "dev1", "--bandwidth", "1MiB/s").getTarget())
        .isEqualTo("dev1");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "policy set galaxy x --quota 1KB --window 1s | 'galaxy' is not a scope",
        "policy set service echo.demo --quota lots --window 1s | 'lots' is not a size",
        "policy set service echo.demo --quota 50MB | --quota needs --window",
        "policy set service echo.demo --window 10s | --window is the window of --quota",
        "policy set service echo.demo | name at least one limit",
        "policy set service echo.demo --max-connections 0 | --max-connections must be positive",
        "policy set service echo.demo --max-ratio -1 --window 1h | --max-ratio must be a positive",
        "policy set service echo.demo --max-ratio 2 | --max-ratio needs --window",
        "policy set service --max-connections 2 | a service policy needs a target",
        "policy set gateway everything --max-connections 2 | a gateway policy has no target",
        "policy clear community | a community policy needs a target"
      })
  void badInput_isAUsageErrorOfOneLine_beforeAnyConnection(
      final String args, final String message) {
    // port 1: nothing listens, so a command that tried to connect would exit 6, not 2
    final List<String> all = new java.util.ArrayList<>(List.of(args.split(" ")));
    all.addAll(List.of("-u", "alice", "--password", "x", "--port", "1"));

    assertThat(run(all.toArray(String[]::new))).as(err.toString()).isEqualTo(ExitCodes.USAGE);

    final List<String> lines = err.toString().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("troupe: ").contains(message);
    assertThat(lines.get(1)).startsWith("Try 'troupe ");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void policies_areATableInHumanUnits_aDashForNoLimit() {
    final String text =
        PolicyText.policies(
            List.of(
                AccessPolicy.newBuilder()
                    .setScope(PolicyScope.SERVICE)
                    .setTarget("echo.demo")
                    .setQuotaBytes(51_200)
                    .setQuotaWindowSeconds(10)
                    .setBandwidthBytesPerSecond(102_400)
                    .build(),
                AccessPolicy.newBuilder()
                    .setScope(PolicyScope.GATEWAY)
                    .setMaxConnections(8)
                    .setMaxTransferRatio(1.5)
                    .build()));

    assertThat(text)
        .isEqualTo(
            "SCOPE    TARGET     BANDWIDTH  QUOTA      CONNECTIONS  RATIO\n"
                + "service  echo.demo  100KiB/s   50KiB/10s  -            -\n"
                + "gateway  -          -          -          8            1.5\n");
    assertThat(PolicyText.policies(List.of())).isEqualTo("no access policy set\n");
  }

  @Test
  void usage_saysWhatIsUsedWhatIsLeftAndWhenItFreesUp() {
    // given a quota used up that frees 7 s from now, and a policy not used up
    final long now = 1_000_000;
    final UsageReport report =
        UsageReport.newBuilder()
            .setIdentity("alice")
            .addRows(
                UsageRow.newBuilder()
                    .setScope(PolicyScope.SERVICE)
                    .setTarget("echo.demo")
                    .setQuotaBytes(51_200)
                    .setQuotaWindowSeconds(10)
                    .setBytesReceived(40_960)
                    .setBytesSent(10_240)
                    .setFreesAtMs(now + 6_500)
                    .setMaxConnections(2)
                    .setConnections(1))
            .addRows(
                UsageRow.newBuilder()
                    .setScope(PolicyScope.GATEWAY)
                    .setQuotaBytes(50L << 20)
                    .setQuotaWindowSeconds(86_400)
                    .setBytesReceived(1L << 20)
                    .setBytesSent(1L << 19)
                    .setBandwidthBytesPerSecond(102_400)
                    .setMaxConnections(8)
                    .setConnections(3)
                    .setMaxTransferRatio(4))
            .build();

    // when written for people
    final String text = PolicyText.usage(report, now);

    // then each limit, with what is used, what is left and when it frees
    assertThat(text)
        .isEqualTo(
            "limits that apply to alice:\n"
                + "service echo.demo\n"
                + "  quota        50 KiB per 10 s: used 50 KiB (40 KiB sent by you, 10 KiB to"
                + " you), used up, frees in 7 s\n"
                + "  in flight    1 of 2 requests at once, 1 left\n"
                + "gateway\n"
                + "  quota        50 MiB per 1 d: used 1.5 MiB (1 MiB sent by you, 512 KiB to"
                + " you), 48.5 MiB left\n"
                + "  bandwidth    100 KiB/s: requests beyond it wait their turn, refused only"
                + " when their deadline cannot allow it\n"
                + "  connections  3 of 8 sessions open, 5 left\n"
                + "  ratio        at most 4 bytes sent by you per byte sent to you: now 2\n");
  }

  @Test
  void usage_withNoPolicy_saysThereAreNoLimits() {
    assertThat(PolicyText.usage(UsageReport.newBuilder().setIdentity("bob").build(), 0))
        .isEqualTo("no access policy applies to bob: no limits\n");
  }

  @Test
  void help_listsPolicyAndUsage() {
    assertThat(run("--help")).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("policy").contains("usage");
    assertThat(run("policy", "--help")).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("set").contains("show").contains("clear");
  }
}
