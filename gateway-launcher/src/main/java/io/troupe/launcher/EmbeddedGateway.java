package io.troupe.launcher;

import com.hivemq.embedded.EmbeddedHiveMQ;
import io.troupe.launcher.ExtensionRun.CoapPort;
import io.troupe.launcher.ExtensionRun.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * HiveMQ CE embedded, with the Troupe extension loaded from the folder unpacked from its packaged
 * zip (never from this classpath: HiveMQ would then see two implementations and disable it).
 *
 * <p>{@link #start()} fails closed: if the extension reports that it did not start, or the broker
 * lets an anonymous client in afterwards, the broker is stopped rather than left open.
 */
public final class EmbeddedGateway implements AutoCloseable {

  private final Builder settings;
  private @Nullable EmbeddedHiveMQ hivemq;
  private @Nullable Path extensionHome;
  private @Nullable Report report;
  private @Nullable TlsCertificate tls;

  private EmbeddedGateway(final Builder settings) {
    this.settings = settings;
  }

  public static @NotNull Builder builder() {
    return new Builder();
  }

  /**
   * Lays out the folders, starts the broker and proves it refuses anonymous clients.
   *
   * @throws IOException when the zip or the folders cannot be used
   * @throws IllegalStateException when the broker does not start (a busy port, for one) or the
   *     extension did not load (its reason, in one line, when it gave one: a CoAP port in use names
   *     the port and the setting); the broker is then stopped
   */
  public void start() throws IOException {
    if (hivemq != null) {
      throw new IllegalStateException("the gateway is already started");
    }
    final Path home = settings.home.toAbsolutePath();
    // secrets, password hashes and message bodies: the owner's alone, whatever was there before
    // (only the folders the gateway owns are walked: --home may name a folder with other things)
    PrivateFiles.folder(home);
    final Path conf = PrivateFiles.privateTree(home.resolve("conf"));
    final Path data = PrivateFiles.privateTree(home.resolve("data"));
    if (Files.exists(home.resolve("log"))) {
      PrivateFiles.privateTree(home.resolve("log"));
    }
    final Path extensions = PrivateFiles.folder(home.resolve("extensions"));
    PrivateFiles.tightenTree(extensions.resolve(ExtensionFolder.EXTENSION_ID));
    if (settings.tlsPort != null) {
      tls =
          settings.tlsKeystore != null
              ? TlsCertificate.given(settings.tlsKeystore, settings.tlsPasswordFile)
              : TlsCertificate.selfSigned(conf, settings.bindAddress);
    }
    PrivateFiles.write(
        conf.resolve("config.xml"),
        HiveMqConfig.render(
            settings.bindAddress,
            settings.port,
            settings.inMemory,
            settings.serverReceiveMaximum,
            Optional.ofNullable(tls).map(t -> new HiveMqConfig.TlsListener(settings.tlsPort, t))));
    extensionHome = ExtensionFolder.unpack(settings.extensionZip, extensions);
    if (settings.extensionConfig != null) {
      PrivateFiles.write(
          extensionHome.resolve("conf").resolve("config.xml"), settings.extensionConfig);
    }
    ExtensionRun.prepare(extensionHome, settings.coapPorts);
    final EmbeddedHiveMQ broker =
        EmbeddedHiveMQ.builder()
            .withConfigurationFolder(conf)
            .withDataFolder(data)
            .withExtensionsFolder(extensions)
            .withoutLoggingBootstrap()
            .build();
    try {
      broker.start().join();
    } catch (final CompletionException e) {
      closeQuietly(broker);
      // HiveMQ's exception here often has no message: the reason is in its log, just above
      throw new IllegalStateException(
          "HiveMQ did not start on "
              + settings.bindAddress
              + ":"
              + settings.port
              + " ("
              + e.getCause()
              + "); the log above says why, for example a port already in use",
          e.getCause());
    }
    hivemq = broker;
    final Optional<String> failed;
    try {
      report = ExtensionRun.report(extensionHome).orElse(null);
      failed = report == null ? Optional.empty() : report.failureLine();
    } catch (final IOException | RuntimeException e) {
      close();
      throw e;
    }
    if (failed.isPresent()) {
      close();
      throw new IllegalStateException(failed.get());
    }
    final Optional<String> open;
    try {
      open = anonymousAccess();
    } catch (final RuntimeException e) {
      close();
      throw e;
    }
    if (open.isPresent()) {
      close();
      throw new IllegalStateException(notStarted(open.get()));
    }
  }

  /**
   * The certificate of the MQTT-over-TLS listener since {@link #start()}, with its SHA-256
   * fingerprint; empty when there is none.
   */
  public @NotNull Optional<TlsCertificate> tls() {
    return Optional.ofNullable(tls);
  }

  /** The port of the MQTT-over-TLS listener; empty when there is none. */
  public @NotNull Optional<Integer> tlsPort() {
    return Optional.ofNullable(settings.tlsPort);
  }

  /** Where CoAP over DTLS is bound (host:port) since {@link #start()}; empty when it is off. */
  public @NotNull Optional<String> coapDtlsEndpoint() {
    return report == null ? Optional.empty() : report.coapDtls();
  }

  /** Where plain CoAP is bound (host:port) since {@link #start()}; empty when it is off. */
  public @NotNull Optional<String> coapPlainEndpoint() {
    return report == null ? Optional.empty() : report.coapPlain();
  }

  /** Empty when the broker refuses an anonymous client, else what shows it does not. */
  private Optional<String> anonymousAccess() {
    try {
      final int code = MqttConnectProbe.anonymousConnectReasonCode(probeHost(), settings.port);
      return code >= 0x80
          ? Optional.empty()
          : Optional.of("the broker let an anonymous client in (CONNACK reason code " + code + ")");
    } catch (final IOException e) {
      return Optional.of(
          "an anonymous MQTT connect to port " + settings.port + " got no CONNACK (" + e + ")");
    }
  }

  private static String notStarted(final String evidence) {
    return "the Troupe extension did not start: "
        + evidence
        + "; the broker was stopped rather than left open. The log above says why the extension"
        + " failed (look for \"troupe-gateway\" or \"Troupe Gateway\").";
  }

  private String probeHost() {
    return settings.bindAddress.equals("0.0.0.0") || settings.bindAddress.equals("::")
        ? "127.0.0.1"
        : settings.bindAddress;
  }

  public int port() {
    return settings.port;
  }

  public @NotNull String bindAddress() {
    return settings.bindAddress;
  }

  /** The unpacked extension folder, {@code {home}/extensions/troupe-gateway}. */
  public @NotNull Path extensionHome() {
    return Objects.requireNonNullElse(
        extensionHome,
        settings.home.toAbsolutePath().resolve("extensions").resolve(ExtensionFolder.EXTENSION_ID));
  }

  /** Where the extension writes the generated admin password on its first start. */
  public @NotNull Path adminSecretFile() {
    return extensionHome().resolve("data").resolve("admin.secret");
  }

  /**
   * The count of the broker's counter {@code name} (0 before its first use, or when stopped), read
   * from this broker's own registry: JMX names are per JVM, so several gateways in one JVM (tests,
   * embedders) would otherwise read each other's beans.
   */
  public long counter(final @NotNull String name) {
    final EmbeddedHiveMQ broker = hivemq;
    if (broker == null) {
      return 0;
    }
    final var counter = broker.getMetricRegistry().getCounters().get(name);
    return counter == null ? 0 : counter.getCount();
  }

  /** Stops the broker (HiveMQ takes about 4 s). */
  @Override
  public void close() {
    final EmbeddedHiveMQ broker = hivemq;
    hivemq = null;
    if (broker != null) {
      closeQuietly(broker);
    }
  }

  private static void closeQuietly(final EmbeddedHiveMQ broker) {
    try {
      broker.stop().join();
      broker.close();
    } catch (final ExecutionException | CompletionException e) {
      // already stopping
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Settings of an embedded gateway. */
  public static final class Builder {
    private Path home = Path.of(".troupe", "gateway");
    private String bindAddress = "127.0.0.1";
    private int port = 1883;
    private @Nullable Path extensionZip;
    private boolean inMemory;
    private @Nullable String extensionConfig;
    private int serverReceiveMaximum = 1000;
    private final Map<CoapPort, Integer> coapPorts = new EnumMap<>(CoapPort.class);
    private @Nullable Integer tlsPort;
    private @Nullable Path tlsKeystore;
    private @Nullable Path tlsPasswordFile;

    private Builder() {}

    /**
     * Adds an MQTT-over-TLS listener on {@code port} (plain TCP stays), with the certificate in
     * {@code keystore} (PKCS#12 or JKS) whose password is the first line of {@code passwordFile};
     * without a keystore, a self-signed certificate made once in the home's {@code conf/}.
     */
    public @NotNull Builder tls(
        final int port, final @Nullable Path keystore, final @Nullable Path passwordFile) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("TLS port must be 1 to 65535, got " + port);
      }
      if ((keystore == null) != (passwordFile == null)) {
        throw new IllegalArgumentException(
            "a TLS keystore needs its password file, and a password file its keystore");
      }
      this.tlsPort = port;
      this.tlsKeystore = keystore;
      this.tlsPasswordFile = passwordFile;
      return this;
    }

    /** The folder for HiveMQ's conf/, data/, log/ and extensions/. */
    public @NotNull Builder home(final @NotNull Path home) {
      this.home = Objects.requireNonNull(home, "home");
      return this;
    }

    public @NotNull Builder bindAddress(final @NotNull String bindAddress) {
      this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
      return this;
    }

    public @NotNull Builder port(final int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The port of CoAP over DTLS for this run, instead of {@code <coap><dtls><port>} in the
     * extension's config (which is left as it is); 0 for any free port.
     */
    public @NotNull Builder coapPort(final int port) {
      return coapPort(CoapPort.DTLS, port);
    }

    /**
     * The port of plain CoAP for this run, instead of {@code <coap><plain><port>}; 0 for any free
     * port. The extension refuses to start when its config has no {@code <coap><plain>}.
     */
    public @NotNull Builder coapPlainPort(final int port) {
      return coapPort(CoapPort.PLAIN, port);
    }

    private Builder coapPort(final CoapPort which, final int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(which.flag + " must be 0 to 65535, got " + port);
      }
      coapPorts.put(which, port);
      return this;
    }

    /** The packaged extension, {@code troupe-gateway-<version>.zip}. */
    public @NotNull Builder extensionZip(final @NotNull Path zip) {
      this.extensionZip = Objects.requireNonNull(zip, "zip");
      return this;
    }

    /** Keeps HiveMQ's own state (retained messages, sessions) in memory; for tests. */
    public @NotNull Builder inMemoryPersistence(final boolean inMemory) {
      this.inMemory = inMemory;
      return this;
    }

    /** Replaces the extension's {@code conf/config.xml} with this text. */
    public @NotNull Builder extensionConfig(final @Nullable String xml) {
      this.extensionConfig = xml;
      return this;
    }

    /** How many QoS 1 publishes one client may have in flight to the broker. */
    public @NotNull Builder serverReceiveMaximum(final int value) {
      if (value < 1 || value > 65535) {
        throw new IllegalArgumentException(
            "server receive maximum must be 1 to 65535, got " + value);
      }
      this.serverReceiveMaximum = value;
      return this;
    }

    public @NotNull EmbeddedGateway build() {
      if (extensionZip == null) {
        throw new IllegalStateException("extensionZip is required");
      }
      return new EmbeddedGateway(this);
    }
  }
}
