package io.troupe.agent.cli;

import io.troupe.agent.api.TroupeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code troupe}: run a device agent, call a service, manage identities. Answers go to stdout,
 * everything else to stderr; the exit code tells the outcome (see {@link ExitCodes}).
 */
@Command(
    name = "troupe",
    mixinStandardHelpOptions = true,
    version = "troupe 0.1.0",
    description = {
      "Troupe: a community of devices sharing a service through an MQTT gateway.",
      "Each command's --help says who may run it."
    },
    subcommands = {
      AgentCommand.class,
      CallCommand.class,
      IdentityCommand.class,
      CatalogueCommand.class,
      StartCommand.class,
      RolesCommand.class,
      TableCommand.class,
      SyncCommand.class,
      WhyCommand.class,
      RuleCommand.class,
      MembersCommand.class,
      CommunityCommand.class,
      BrowseCommand.class,
      ShareCommand.class,
      LeaveCommand.class,
      DeleteCommand.class,
      ClearCommand.class,
      KeyCommand.class,
      InviteCommand.class,
      RedeemCommand.class,
      PolicyCommand.class,
      UsageCommand.class,
      ScriptCommands.Gateway.class,
      ScriptCommands.Bench.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:any other failure",
      "2:bad usage",
      "3:not authenticated or not authorised (403)",
      "4:not found (404)",
      "5:refused by an access policy (429)",
      "6:no server available (503)",
      "7:timed out (504)"
    })
public final class TroupeCli {

  /** The logback configuration of the command line, on its class path: one line per event. */
  static final String LOG_CONFIG = "troupe-cli-logback.xml";

  /** With {@code --debug}: debug level, stack traces. */
  static final String DEBUG_LOG_CONFIG = "troupe-cli-debug-logback.xml";

  /** Held: java.util.logging forgets the level of a logger nobody references. */
  private static final java.util.logging.Logger PAHO =
      java.util.logging.Logger.getLogger("org.eclipse.paho");

  public static void main(final String[] args) {
    final boolean debug = List.of(args).contains("--debug");
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", debug ? DEBUG_LOG_CONFIG : LOG_CONFIG);
    }
    // Paho logs through java.util.logging, stack traces included: only with --debug
    PAHO.setLevel(debug ? Level.FINE : Level.OFF);
    System.exit(commandLine().execute(args));
  }

  /**
   * Runs the command line in this JVM with {@code args}, its answers on {@code out} and its
   * messages on {@code err}, and returns the exit code {@link #main} would exit with. For tests and
   * programs that embed the CLI; the log configuration is left as it is.
   */
  public static int run(final PrintWriter out, final PrintWriter err, final String... args) {
    final CommandLine cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  static CommandLine commandLine() {
    final CommandLine cli = new CommandLine(new TroupeCli());
    cli.setExecutionExceptionHandler(TroupeCli::failed);
    cli.setParameterExceptionHandler(TroupeCli::misused);
    return cli;
  }

  /** A usage error: one line saying what is wrong, then where to read more. */
  private static int misused(final CommandLine.ParameterException e, final String[] args) {
    final CommandLine cli = e.getCommandLine();
    final PrintWriter err = cli.getErr();
    err.println("troupe: " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for more.");
    err.flush();
    return cli.getCommandSpec().exitCodeOnInvalidInput();
  }

  private static int failed(
      final Exception e, final CommandLine cli, final CommandLine.ParseResult parsed) {
    final PrintWriter err = cli.getErr();
    Throwable cause = e;
    while ((cause instanceof CompletionException
            || cause instanceof ExecutionException
            || cause instanceof UncheckedIOException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (debugging(parsed)) {
      e.printStackTrace(err);
    }
    final int exit;
    if (cause instanceof Failed f) {
      err.println(f.line());
      exit = f.exitCode();
    } else if (cause instanceof TroupeException t) {
      err.println(Failed.line(cli.getCommandName(), t.status(), t.reason()));
      exit = ExitCodes.forStatus(t.status());
    } else if (cause instanceof IllegalArgumentException) {
      err.println("troupe: " + cause.getMessage());
      exit = ExitCodes.USAGE;
    } else if (cause instanceof IOException) {
      err.println("troupe: " + cause.getMessage());
      exit = ExitCodes.OTHER;
    } else {
      err.println("troupe: " + cause);
      exit = ExitCodes.OTHER;
    }
    err.flush();
    return exit;
  }

  /** Whether the command that failed was given {@code --debug}. */
  private static boolean debugging(final CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
  }
}
