package io.troupe.agent.cli;

import io.troupe.contract.CoapKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        "Prints NAME's CoAP pre-shared key, as anyone who may read the gateway's home (coap-client -u NAME -k KEY), derived from"
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
    final GatewayHome gatewayHome = GatewayHome.of(home, System.getenv());
    final Path extension = gatewayHome.resolve(EXTENSION_IN_HOME);
    final Path file = CoapKeys.masterKeyFile(extension);
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(
          gatewayHome.missing(
              "CoAP master key", file, " (the gateway writes the key there at its first start)"));
    }
    spec.commandLine().getOut().println(CoapKeys.read(extension).keyOf(name));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
