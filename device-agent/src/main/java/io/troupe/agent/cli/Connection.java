package io.troupe.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where the gateway is and who connects: options shared by every command. */
final class Connection {

  @Spec(Spec.Target.MIXEE)
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--host", description = "Gateway host (default: ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "Gateway MQTT port (default: ${DEFAULT-VALUE}).")
  int port = 1883;

  @Option(names = "--root", description = "Topic root (default: ${DEFAULT-VALUE}).")
  String root = "troupe";

  @Option(
      names = "--password",
      description =
          "Password; else --password-file, else the environment variable TROUPE_PASSWORD"
              + " (TROUPE_ADMIN_PASSWORD for identity).")
  String password;

  @Option(names = "--password-file", description = "A file holding the password.")
  Path passwordFile;

  /** The password from the option, the file or the environment, in that order. */
  String password(final String environmentVariable) {
    if (password != null) {
      return password;
    }
    if (passwordFile != null) {
      try {
        return Files.readString(passwordFile, StandardCharsets.UTF_8).trim();
      } catch (final IOException e) {
        throw new ParameterException(
            spec.commandLine(),
            "cannot read the password file " + passwordFile + ": " + e.getMessage());
      }
    }
    final String env = System.getenv(environmentVariable);
    if (env != null && !env.isEmpty()) {
      return env;
    }
    throw new ParameterException(
        spec.commandLine(),
        "a password is required: --password, --password-file or " + environmentVariable);
  }
}
