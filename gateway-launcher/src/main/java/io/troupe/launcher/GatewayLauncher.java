package io.troupe.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code troupe gateway}: HiveMQ CE embedded with the Troupe extension, until stopped. */
@Command(
    name = "troupe gateway",
    mixinStandardHelpOptions = true,
    version = "troupe gateway 0.1.0",
    description =
        "Starts the Troupe gateway: HiveMQ CE embedded, with the Troupe extension loaded from its packaged folder.")
public final class GatewayLauncher implements Callable<Integer> {

  @Option(
      names = {"--home", "--data"},
      paramLabel = "DIR",
      defaultValue = "${env:TROUPE_HOME:-.troupe/gateway}",
      description =
          "Folder for HiveMQ's configuration, data and extensions, made readable by its owner"
              + " only (default: TROUPE_HOME, else .troupe/gateway; now ${DEFAULT-VALUE}).")
  Path home;

  @Option(names = "--port", description = "MQTT port (default: ${DEFAULT-VALUE}).")
  int port = 1883;

  @Option(
      names = "--coap-port",
      paramLabel = "PORT",
      description =
          "UDP port of CoAP over DTLS for this run, 0 for any free port (default: <coap><dtls><port>"
              + " in the extension's conf/config.xml, else 5684). A second gateway on one machine"
              + " needs its own.")
  Integer coapPort;

  @Option(
      names = "--coap-plain-port",
      paramLabel = "PORT",
      description =
          "UDP port of plain CoAP for this run, 0 for any free port (default: <coap><plain><port>;"
              + " plain CoAP is off unless the extension's conf/config.xml has <coap><plain>).")
  Integer coapPlainPort;

  @Option(
      names = "--tls",
      description =
          "Also listen for MQTT over TLS (plain TCP stays), with the certificate of"
              + " --tls-keystore, else a self-signed one made once in the home; its SHA-256"
              + " fingerprint is printed for clients to pin (--tls-fingerprint).")
  boolean tls;

  @Option(names = "--tls-port", description = "The MQTT-over-TLS port (default: ${DEFAULT-VALUE}).")
  int tlsPort = 8883;

  @Option(
      names = "--tls-keystore",
      paramLabel = "FILE",
      description = "The TLS certificate and key: a PKCS#12 or JKS keystore.")
  Path tlsKeystore;

  @Option(
      names = "--tls-keystore-password-file",
      paramLabel = "FILE",
      description = "A file whose first line is the keystore's password.")
  Path tlsKeystorePasswordFile;

  @Option(names = "--bind", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind = "127.0.0.1";

  @Option(
      names = "--extension-zip",
      description = "The packaged extension (default: troupe-gateway.zip beside this jar).")
  Path extensionZip;

  @Option(
      names = "--in-memory",
      description = "Keep HiveMQ's own retained messages and sessions in memory only.")
  boolean inMemory;

  public static void main(final String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "troupe-gateway-logback.xml");
    }
    System.exit(new CommandLine(new GatewayLauncher()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    final PrintWriter err = new PrintWriter(System.err, true);
    final EmbeddedGateway gateway;
    try {
      final EmbeddedGateway.Builder builder =
          EmbeddedGateway.builder()
              .home(home)
              .port(port)
              .bindAddress(bind)
              .extensionZip(extensionZip == null ? defaultZip() : extensionZip)
              .inMemoryPersistence(inMemory);
      if (coapPort != null) {
        builder.coapPort(coapPort);
      }
      if (coapPlainPort != null) {
        builder.coapPlainPort(coapPlainPort);
      }
      if (tls) {
        builder.tls(tlsPort, tlsKeystore, tlsKeystorePasswordFile);
      }
      gateway = builder.build();
      gateway.start();
    } catch (final IOException | RuntimeException | URISyntaxException e) {
      // start() has stopped the broker already: nothing is left listening
      err.println("troupe gateway: " + e.getMessage());
      return 1;
    }
    final CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  gateway.close();
                  stopped.countDown();
                },
                "troupe-gateway-shutdown"));
    printHowToConnect(gateway);
    stopped.await();
    return 0;
  }

  private void printHowToConnect(final EmbeddedGateway gateway) throws InterruptedException {
    final Path secret = gateway.adminSecretFile();
    for (int i = 0; i < 50 && !Files.exists(secret); i++) {
      Thread.sleep(100);
    }
    System.out.println(
        "Troupe gateway listening on mqtt://" + gateway.bindAddress() + ":" + gateway.port());
    gateway
        .tls()
        .ifPresent(
            t ->
                System.out.println(
                    "  MQTT over TLS: mqtts://"
                        + gateway.bindAddress()
                        + ":"
                        + gateway.tlsPort().orElseThrow()
                        + "\n  TLS certificate SHA-256: "
                        + t.fingerprint()
                        + " (clients: --tls --tls-fingerprint "
                        + t.fingerprint()
                        + ")"));
    gateway.coapDtlsEndpoint().ifPresent(a -> System.out.println("  CoAP over DTLS: coaps://" + a));
    gateway.coapPlainEndpoint().ifPresent(a -> System.out.println("  plain CoAP: coap://" + a));
    System.out.println("  admin user: admin");
    System.out.println(
        "  admin password file: " + secret + (Files.exists(secret) ? "" : " (not written yet)"));
    System.out.println(
        "  add identities: ./troupe identity add NAME --role device|consumer --port "
            + gateway.port()
            + " --home "
            + home);
    System.out.println("Stop with Ctrl-C.");
    System.out.flush();
  }

  /**
   * {@code troupe-gateway.zip} beside this jar (or beside {@code target/classes} when run from the
   * build), else {@code gateway-launcher/target/troupe-gateway.zip} under the working directory.
   */
  static Path defaultZip() throws URISyntaxException {
    final Path codeSource =
        Path.of(GatewayLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    final Path beside = codeSource.getParent().resolve("troupe-gateway.zip");
    return Files.exists(beside)
        ? beside
        : Path.of("gateway-launcher", "target", "troupe-gateway.zip");
  }
}
