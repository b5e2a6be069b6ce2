package io.troupe.agent.cli;

import io.troupe.contract.CoapKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code troupe identity coap-key NAME}: prints the identity's CoAP pre-shared key, derived from
 * the gateway's CoAP master key ({@link CoapKeys}); needs read access to the gateway's home, not a
 * connection.
 */
@Command(
    name = "coap-key",
    mixinStandardHelpOptions = true,
    description =
        "Prints NAME's CoAP pre-shared key (coap-client -u NAME -k KEY), derived from"
            + " DIR/extensions/troupe-gateway/conf/coap-master.key, which the gateway creates at its"
            + " first start.")
final class CoapKeyCommand implements Callable<Integer> {

  static final Path EXTENSION_IN_HOME = Path.of("extensions", "troupe-gateway");

  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "The identity (the PSK identity of its DTLS sessions).")
  String name;

  @Option(
      names = "--home",
      paramLabel = "DIR",
      description = "The gateway's home (default: TROUPE_HOME, else .troupe/gateway).")
  Path home;

  @Override
  public Integer call() throws IOException {
    final Path extension = home(System.getenv()).resolve(EXTENSION_IN_HOME);
    final Path file = CoapKeys.masterKeyFile(extension).toAbsolutePath();
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(
          "no CoAP master key: "
              + file
              + " does not exist or is not readable; start the gateway once");
    }
    spec.commandLine().getOut().println(CoapKeys.read(extension).keyOf(name));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }

  private Path home(final Map<String, String> env) {
    if (home != null) {
      return home;
    }
    final String fromEnv = env.get("TROUPE_HOME");
    return fromEnv == null || fromEnv.isEmpty() ? IdentityCommand.DEFAULT_HOME : Path.of(fromEnv);
  }
}
