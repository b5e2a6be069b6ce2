package io.troupe.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.BrowseResult;
import io.troupe.proto.v1.CommunityInfo;
import io.troupe.proto.v1.DecisionRecord;
import io.troupe.proto.v1.Decisions;
import io.troupe.proto.v1.IdentityInfo;
import io.troupe.proto.v1.IdentityList;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.LoadRow;
import io.troupe.proto.v1.LoadTable;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.ServiceInfo;
import io.troupe.proto.v1.SetDistributionRule;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command line's parsing and output, without a gateway. */
class CommandsTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(final String... args) {
    return TroupeCli.run(new PrintWriter(out), new PrintWriter(err), args);
  }

  private static <T> T parsed(final T command, final String... args) {
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @ParameterizedTest
  @ValueSource(strings = {"-h", "-V", "-habc", "--help", "-", "--password"})
  void password_beginningWithADash_isTakenAsItIs(final String secret) {
    final CallCommand call = parsed(new CallCommand(), "echo.demo", "--password", secret);
    assertThat(call.connection.password).isEqualTo(secret);
    final IdentityCommand.Add add =
        parsed(new IdentityCommand.Add(), "x", "--role", "device", "--new-password", secret);
    assertThat(add.newPassword).isEqualTo(secret);
  }

  @Test
  void password_atTheEnd_isAUsageErrorOfOneLine() {
    assertThat(run("call", "echo.demo", "-u", "x", "--password")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString().lines().toList())
        .hasSize(2)
        .first()
        .asString()
        .startsWith("troupe: ")
        .contains("--password");
    assertThat(err.toString().lines().toList().get(1)).startsWith("Try 'troupe call --help'");
  }

  @Test
  void help_listsEveryCommand_gatewayAndBenchIncluded() {
    assertThat(run("--help")).isEqualTo(ExitCodes.OK);
    for (final String command :
        new String[] {
          "agent",
          "call",
          "identity",
          "catalogue",
          "start",
          "roles",
          "table",
          "why",
          "rule",
          "members",
          "browse",
          "share",
          "leave",
          "delete",
          "clear",
          "gateway",
          "bench"
        }) {
      assertThat(out.toString()).containsPattern("(?m)^  " + command + " ");
    }
  }

  @Test
  void everyNewCommandsHelp_saysWhoMayRunIt() {
    final CommandLine cli = TroupeCli.commandLine();
    final Map<String, String> who =
        Map.of(
            "members", "owner or an admin",
            "browse", "as any identity",
            "leave", "as a member",
            "delete", "owner or an admin",
            "clear", "as an admin",
            "rule", "owner or an admin");
    who.forEach(
        (name, words) ->
            assertThat(
                    String.join(
                        " ",
                        cli.getSubcommands()
                            .get(name)
                            .getCommandSpec()
                            .usageMessage()
                            .description()))
                .as(name)
                .contains(words));
    final CommandLine share = cli.getSubcommands().get("share");
    for (final String sub : new String[] {"enable", "disable"}) {
      assertThat(
              String.join(
                  " ",
                  share.getSubcommands().get(sub).getCommandSpec().usageMessage().description()))
          .contains("as the device itself");
    }
    final CommandLine identity = cli.getSubcommands().get("identity");
    for (final String sub : new String[] {"list", "remove", "add"}) {
      assertThat(
              String.join(
                  " ",
                  identity.getSubcommands().get(sub).getCommandSpec().usageMessage().description()))
          .contains("as an admin");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gateway", "bench"})
  void scriptCommands_runFromTheJar_sayToRunTheScript(final String command) {
    assertThat(run(command, "--port", "1")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString()).contains("run ./troupe " + command);
  }

  @Test
  void rule_isAPatch_andNoneEndsTheRedirect() {
    final SetDistributionRule order =
        parsed(new RuleCommand(), "echo.demo", "--order", "LEAST_LOADED").request();
    assertThat(order.getPatch()).isTrue();
    assertThat(order.getRule().getOrder()).isEqualTo(RequestOrder.LEAST_LOADED);
    assertThat(order.getRule().getRedirectTo()).isEmpty();
    assertThat(order.getEndRedirect()).isFalse();

    final SetDistributionRule redirect =
        parsed(new RuleCommand(), "echo.demo", "--redirect", "r2").request();
    assertThat(redirect.getPatch()).isTrue();
    assertThat(redirect.getRule().getOrder()).isEqualTo(RequestOrder.REQUEST_ORDER_UNSPECIFIED);
    assertThat(redirect.getRule().getRedirectTo()).isEqualTo("r2");

    final SetDistributionRule none =
        parsed(new RuleCommand(), "echo.demo", "--redirect", "none").request();
    assertThat(none.getEndRedirect()).isTrue();
    assertThat(none.getRule().getRedirectTo()).isEmpty();
  }

  @Test
  void rule_withNothingToChange_isAUsageError() {
    assertThat(run("rule", "echo.demo", "-u", "x", "--password", "p", "--port", "1"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).startsWith("troupe: name what to change");
  }

  @Test
  void call_areaAndD_becomeUserProperties_theNamedOptionsWin() {
    final CallCommand call =
        parsed(
            new CallCommand(),
            "echo.demo",
            "--area",
            "north",
            "-D",
            "colour=blue",
            "-Dsize=9",
            "-D",
            "method=PUT",
            "--method",
            "GET");
    final io.troupe.agent.internal.Outgoing request =
        io.troupe.agent.internal.Calls.request(
            io.troupe.contract.Topics.withDefaultRoot(),
            "c1",
            "echo.demo",
            new byte[0],
            call.options());
    assertThat(request.userProperties())
        .containsEntry("area", "north")
        .containsEntry("colour", "blue")
        .containsEntry("size", "9")
        .containsEntry("method", "GET");
  }

  @Test
  void table_showsTheUnmetCriterionBesideTheAvailability() {
    final String text = TableCommand.format(table());
    assertThat(text).contains("AVAILABLE (outside its time windows)");
  }

  @Test
  void why_namesTheConsumersArea() {
    final Decisions decisions =
        Decisions.newBuilder()
            .setAddress("echo.demo")
            .addDecisions(
                DecisionRecord.newBuilder()
                    .setRequestId("r1")
                    .setAttempt(1)
                    .setServer("dev2")
                    .setRule("PRIMARY_FIRST")
                    .setArea("north"))
            .addDecisions(
                DecisionRecord.newBuilder()
                    .setRequestId("r2")
                    .setAttempt(1)
                    .setServer("dev2")
                    .setRule("PRIMARY_FIRST"))
            .build();
    final String text = WhyCommand.format(decisions);
    assertThat(text.lines().toList().get(0))
        .endsWith("r1 attempt 1 for area north: dev2 by PRIMARY_FIRST");
    assertThat(text.lines().toList().get(1)).endsWith("r2 attempt 1: dev2 by PRIMARY_FIRST");
  }

  @Test
  void json_isOneDocumentThatParsesBackToTheAnswer() throws Exception {
    final LoadTable table = table();
    final String json = JsonOutput.json(table);
    assertThat(json).endsWith("}\n").contains("\"criteriaUnmet\": \"outside its time windows\"");
    final LoadTable.Builder back = LoadTable.newBuilder();
    JsonFormat.parser().merge(json, back);
    assertThat(back.build()).isEqualTo(table);
  }

  @Test
  void identityList_asTextAndJson() throws Exception {
    final IdentityList list =
        IdentityList.newBuilder()
            .addIdentities(IdentityInfo.newBuilder().setName("admin").setRole(IdentityRole.ADMIN))
            .addIdentities(IdentityInfo.newBuilder().setName("dev1").setRole(IdentityRole.DEVICE))
            .build();
    assertThat(IdentityCommand.ListCommand.format(list)).isEqualTo("admin admin\ndev1 device\n");
    final IdentityList.Builder back = IdentityList.newBuilder();
    JsonFormat.parser().merge(JsonOutput.json(list), back);
    assertThat(back.build()).isEqualTo(list);
  }

  @Test
  void browse_aLinePerCommunity_itsServicesIndented() {
    final BrowseResult result =
        BrowseResult.newBuilder()
            .addCommunities(
                CommunityInfo.newBuilder()
                    .setName("demo")
                    .setOwner("dev1")
                    .addMembers("dev1")
                    .addMembers("dev2")
                    .addServices(
                        ServiceInfo.newBuilder().setAddress("echo.demo").setService("echo")))
            .build();
    assertThat(BrowseCommand.format(result))
        .isEqualTo(
            "demo closed, anonymity NAMED, owner dev1, members dev1 dev2\n  echo.demo echo\n");
  }

  private static LoadTable table() {
    return LoadTable.newBuilder()
        .setAddress("echo.demo")
        .setCommunity("demo")
        .setService("echo")
        .addServers(
            LoadRow.newBuilder()
                .setServer("dev1")
                .setRole(ServerRole.PRIMARY)
                .setEnabled(true)
                .setAvailability(Availability.AVAILABLE)
                .setStatusAgeMs(-1)
                .setCriteriaUnmet("outside its time windows"))
        .build();
  }
}
