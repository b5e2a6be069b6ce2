package io.troupe.agent.cli;

import io.troupe.agent.api.TroupeException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code troupe}: run a device agent, call a service, manage identities. */
@Command(
    name = "troupe",
    mixinStandardHelpOptions = true,
    version = "troupe 0.1.0",
    description = "Troupe: a community of devices sharing a service through an MQTT gateway.",
    subcommands = {AgentCommand.class, CallCommand.class, IdentityCommand.class})
public final class TroupeCli {

  public static void main(final String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "troupe-cli-logback.xml");
    }
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    final CommandLine cli = new CommandLine(new TroupeCli());
    cli.setExecutionExceptionHandler(TroupeCli::failed);
    return cli;
  }

  private static int failed(
      final Exception e, final CommandLine cli, final CommandLine.ParseResult parsed) {
    final PrintWriter err = cli.getErr();
    final Throwable cause =
        e instanceof java.util.concurrent.CompletionException && e.getCause() != null
            ? e.getCause()
            : e;
    if (cause instanceof TroupeException t) {
      err.println("troupe: " + t.reason() + " (status " + t.status() + ")");
      return ExitCodes.forStatus(t.status());
    }
    err.println("troupe: " + cause);
    return ExitCodes.OTHER;
  }
}
