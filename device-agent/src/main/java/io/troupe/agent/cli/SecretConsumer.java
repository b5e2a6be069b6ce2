package io.troupe.agent.cli;

import java.util.Stack;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Takes the argument after a password option as it is, whatever it looks like: a password may begin
 * with {@code -} ({@code --password -habc}), where picocli would otherwise read an option ({@code
 * -h}) and refuse the value.
 */
final class SecretConsumer implements IParameterConsumer {

  @Override
  public void consumeParameters(
      final Stack<String> args, final ArgSpec argSpec, final CommandSpec commandSpec) {
    if (args.isEmpty()) {
      throw new MissingParameterException(
          commandSpec.commandLine(),
          argSpec,
          "Missing required parameter for option '"
              + (argSpec instanceof OptionSpec o ? o.longestName() : argSpec.paramLabel())
              + "' ("
              + argSpec.paramLabel()
              + ")");
    }
    argSpec.setValue(args.pop());
  }
}
