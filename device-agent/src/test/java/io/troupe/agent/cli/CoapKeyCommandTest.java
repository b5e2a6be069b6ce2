package io.troupe.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.contract.CoapKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CoapKeyCommandTest {

  @TempDir Path home;

  @Test
  void coapKey_printsTheKeyTheGatewayDerives() throws Exception {
    // given a gateway home whose extension created its master key
    final CoapKeys keys = CoapKeys.openOrCreate(home.resolve(CoapKeyCommand.EXTENSION_IN_HOME));
    final StringWriter out = new StringWriter();
    final CommandLine cli = TroupeCli.commandLine();
    cli.setOut(new PrintWriter(out));

    // when
    final int code = cli.execute("identity", "coap-key", "alice", "--home", home.toString());

    // then
    assertThat(code).isEqualTo(ExitCodes.OK);
    assertThat(out.toString().trim()).isEqualTo(keys.keyOf("alice"));
  }

  @Test
  void coapKey_noMasterKey_failsNamingTheFile() {
    final StringWriter err = new StringWriter();
    final CommandLine cli = TroupeCli.commandLine();
    cli.setErr(new PrintWriter(err));
    final int code = cli.execute("identity", "coap-key", "alice", "--home", home.toString());
    assertThat(code).isNotEqualTo(ExitCodes.OK);
  }

  @Test
  void coapKey_noMasterKey_saysWhichHomeItLookedInAndHowToNameAnother() {
    assertThat(usageErrorOf("identity", "coap-key", "alice", "--home", home.toString()))
        .startsWith("troupe: no CoAP master key: ")
        .contains("looked in the gateway home " + home.toAbsolutePath() + " (given by --home)")
        .contains("If the gateway runs with another home, name it with --home DIR or TROUPE_HOME")
        .doesNotContain("start the gateway");
  }

  @Test
  void noAdminSecret_isWordedAsTheCoapKey_withTheOtherWaysToGiveIt() {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("TROUPE_ADMIN_PASSWORD") == null);
    assertThat(usageErrorOf("identity", "list", "--home", home.toString()))
        .startsWith("troupe: no admin password: ")
        .contains("looked in the gateway home " + home.toAbsolutePath() + " (given by --home)")
        .contains("name it with --home DIR or TROUPE_HOME")
        .contains("--admin-secret-file FILE or TROUPE_ADMIN_PASSWORD");
  }

  /** The one line on stderr of a run that must end with the usage exit code. */
  private static String usageErrorOf(final String... args) {
    final StringWriter err = new StringWriter();
    assertThat(TroupeCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString().lines()).hasSize(1);
    return err.toString();
  }
}
