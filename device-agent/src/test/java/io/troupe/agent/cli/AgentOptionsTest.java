package io.troupe.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.AreaRole;
import io.troupe.proto.v1.NetworkType;
import io.troupe.proto.v1.ServerRole;
import io.troupe.proto.v1.TimeWindow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** {@code troupe agent}'s own options: the criteria flags and the agent config file. */
class AgentOptionsTest {

  @TempDir Path dir;

  @Test
  void window_withDaysTimesAndZone() {
    final TimeWindow w =
        new AgentConfig.WindowConverter().convert("mon-fri/08:00-17:30@Europe/Helsinki");
    assertThat(w.getDaysList()).containsExactly(1, 2, 3, 4, 5);
    assertThat(w.getStartMinute()).isEqualTo(8 * 60);
    assertThat(w.getEndMinute()).isEqualTo(17 * 60 + 30);
    assertThat(w.getTimeZone()).isEqualTo("Europe/Helsinki");
  }

  @Test
  void window_everyDayInUtc_andPastMidnight_andWrappingDays() {
    final TimeWindow night = new AgentConfig.WindowConverter().convert("22:00-06:00");
    assertThat(night.getDaysList()).isEmpty();
    assertThat(night.getTimeZone()).isEmpty();
    assertThat(night.getStartMinute()).isEqualTo(22 * 60);
    assertThat(night.getEndMinute()).isEqualTo(6 * 60);
    assertThat(new AgentConfig.WindowConverter().convert("sat-mon/00:00-24:00").getDaysList())
        .containsExactly(1, 6, 7);
    assertThat(new AgentConfig.WindowConverter().convert("1,3,5/9:00-10:00").getDaysList())
        .containsExactly(1, 3, 5);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8-17",
        "08:00-25:00",
        "08:61-09:00",
        "10:00-10:00",
        "xyz/08:00-09:00",
        "08:00-09:00@Mars/Olympus",
        "t/08:00-09:00"
      })
  void window_badOnes_areRefusedQuotingTheValue(final String bad) {
    assertThatThrownBy(() -> new AgentConfig.WindowConverter().convert(bad))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageStartingWith("'" + bad + "'");
  }

  @Test
  void areaRole_networkAnonymityAndBattery_parseInAnyCase() {
    assertThat(new AgentConfig.AreaRoleConverter().convert("office=Primary"))
        .isEqualTo(AreaRole.newBuilder().setArea("office").setRole(ServerRole.PRIMARY).build());
    assertThat(new AgentConfig.NetworkConverter().convert("wlan")).isEqualTo(NetworkType.WLAN);
    assertThat(new AgentConfig.AnonymityConverter().convert("anonymous_to_all"))
        .isEqualTo(Anonymity.ANONYMOUS_TO_ALL);
    assertThat(new AgentConfig.PercentConverter().convert("30")).isEqualTo(30);
  }

  @ParameterizedTest
  @ValueSource(strings = {"office", "=primary", "office=", "office=passive", "office=boss"})
  void areaRole_badOnes_areRefused(final String bad) {
    assertThatThrownBy(() -> new AgentConfig.AreaRoleConverter().convert(bad))
        .hasMessageStartingWith("'" + bad + "'");
  }

  @Test
  void network_anonymityAndBattery_badOnesAreRefused() {
    assertThatThrownBy(() -> new AgentConfig.NetworkConverter().convert("NETWORK_TYPE_UNSPECIFIED"))
        .hasMessageContaining("LAN, WLAN, CELLULAR");
    assertThatThrownBy(() -> new AgentConfig.AnonymityConverter().convert("secret"))
        .hasMessageContaining("NAMED");
    assertThatThrownBy(() -> new AgentConfig.PercentConverter().convert("101"))
        .hasMessageContaining("0 to 100");
    assertThatThrownBy(() -> new AgentConfig.PercentConverter().convert("-1"))
        .hasMessageContaining("0 to 100");
  }

  @Test
  void configFile_standsForTheFlags() throws Exception {
    final Path file = dir.resolve("agent.properties");
    Files.writeString(
        file,
        "# dev1 at home\nid = dev1\ncommunity = demo, abc\nservice = echo, notes@abc\necho = true\n"
            + "open = false\n",
        StandardCharsets.UTF_8);
    assertThat(AgentConfig.argsOf(file))
        .containsExactly(
            "--community",
            "demo",
            "--community",
            "abc",
            "--echo",
            "--id",
            "dev1",
            "--service",
            "echo",
            "--service",
            "notes@abc");
  }

  @Test
  void configFile_missingOrWithABadKey_isRefusedNamingIt() throws Exception {
    assertThatThrownBy(() -> AgentConfig.argsOf(dir.resolve("none")))
        .hasMessageContaining("cannot read agent config");
    final Path file = dir.resolve("bad.properties");
    Files.writeString(file, "config = other\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> AgentConfig.argsOf(file))
        .hasMessageContaining("'config' is not an option");
  }

  record Run(int exit, String out, String err) {}

  private static Run agent(final String... args) {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final List<String> all = new ArrayList<>(List.of("agent", "--password", "x", "--port", "1"));
    all.addAll(List.of(args));
    final int exit =
        TroupeCli.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  /** The lines on stderr besides the warning that --password shows in ps. */
  private static List<String> errors(final Run run) {
    return run.err().lines().filter(l -> !l.contains("warning: --password")).toList();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--window=8-17",
        "--area-role=office",
        "--worst-network=5G",
        "--min-battery=150",
        "--battery=full",
        "--network=fiber",
        "--anonymity=hidden",
        "--service=echo@-bad",
        "--community=No_Such!"
      })
  void agent_badCriteriaOrNames_exit2WithOneLineSayingWhat(final String bad) {
    final Run run =
        agent("--id", "dev1", "--community", "demo", "--service", "echo", "--echo", bad);
    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(errors(run).get(0)).startsWith("troupe: ");
    assertThat(errors(run).stream().filter(l -> !l.startsWith("Try '"))).hasSize(1);
  }

  @Test
  void agent_aCommunityWithNothingToServe_isRefused() {
    final Run run = agent("--id", "dev1", "--community", "demo", "--service", "echo@abc", "--echo");
    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(errors(run)).singleElement().asString().contains("no service to serve in demo");
  }

  @Test
  void agent_withoutIdOrWayToServe_isRefusedWithOneLine() {
    assertThat(errors(agent("--community", "demo", "--service", "echo", "--echo")))
        .containsExactly("troupe: missing --id (or id in --config)");
    assertThat(errors(agent("--id", "dev1", "--community", "demo", "--service", "echo")))
        .containsExactly("troupe: say how to serve: --echo or --serve-dir");
  }

  @Test
  void agent_badConfigFile_exit2NamingTheFile() throws Exception {
    final Path file = dir.resolve("agent.properties");
    Files.writeString(file, "id = dev1\nservice = echo\necho = true\nwindow = soon\n");
    final Run run = agent("--config", file.toString(), "--community", "demo");
    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(errors(run)).singleElement().asString().contains(file.toString()).contains("'soon'");
  }

  @Test
  void agent_help_documentsTheConfigFileAndEveryCriterion() {
    final Run run = agent("--help");
    assertThat(run.out())
        .contains("Agent config file", "--window", "--serve-area", "--area-role", "--min-battery")
        .contains("--worst-network", "--installable", "--passive", "--anonymity", "--config")
        .contains("--network", "--battery", "--area=AREA");
  }
}
