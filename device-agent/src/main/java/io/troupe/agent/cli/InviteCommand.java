package io.troupe.agent.cli;

import io.troupe.agent.api.TroupeKeys;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code troupe invite KEY [--host H[:P]]}: a new invitation built on a key, here, without asking
 * the gateway (R14).
 */
@Command(
    name = "invite",
    mixinStandardHelpOptions = true,
    description =
        "Prints a new invitation URL built on KEY (as 'troupe key create' printed it), as anyone"
            + " holding the key, without contacting the gateway. Each run makes another; each is"
            + " redeemable once.")
final class InviteCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "KEY", description = "KEYID.SECRET.")
  String key;

  @Option(
      names = "--host",
      paramLabel = "H[:P]",
      description = "The gateway as invitees reach it (default: ${DEFAULT-VALUE}).")
  String host = "127.0.0.1:1883";

  @Override
  public Integer call() {
    final String hostPort = host.contains(":") ? host : host + ":1883";
    spec.commandLine().getOut().println(TroupeKeys.invitation(key, hostPort));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
