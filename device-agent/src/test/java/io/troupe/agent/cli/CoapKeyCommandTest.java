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
}
