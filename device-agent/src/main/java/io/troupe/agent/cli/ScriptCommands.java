package io.troupe.agent.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code troupe gateway} and {@code troupe bench}: commands of the {@code ./troupe} script that run
 * other jars (the gateway launcher, the benchmarks). They are here so that {@code troupe --help}
 * lists them; run from this jar, each says how to run it and exits with the usage code.
 */
final class ScriptCommands {

  private ScriptCommands() {}

  /** Says that {@code command} runs through the script; exit code 2. */
  abstract static class ThroughTheScript implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    /** Whatever follows, options included: they belong to the other jar. */
    @Unmatched List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
      spec.commandLine()
          .getErr()
          .println(
              "troupe: "
                  + spec.name()
                  + " runs another jar: run ./troupe "
                  + spec.name()
                  + " from the project's folder (./troupe "
                  + spec.name()
                  + " --help for its options)");
      spec.commandLine().getErr().flush();
      return ExitCodes.USAGE;
    }
  }

  @Command(
      name = "gateway",
      description =
          "Starts the gateway (HiveMQ CE with the Troupe extension), as the operator of the"
              + " machine: run ./troupe gateway [--home DIR] [--port N].")
  static final class Gateway extends ThroughTheScript {}

  @Command(
      name = "bench",
      description =
          "Measures the gateway (requests per second, latencies) against a baseline, as anyone on"
              + " the machine: run ./troupe bench.")
  static final class Bench extends ThroughTheScript {}
}
