package io.troupe.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;
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
      names = "--password-file",
      paramLabel = "FILE",
      description =
          "A file holding the password (its first line). Without it, the environment variable"
              + " TROUPE_PASSWORD (TROUPE_ADMIN_PASSWORD for identity).")
  Path passwordFile;

  @Option(
      names = "--password",
      paramLabel = "SECRET",
      parameterConsumer = SecretConsumer.class,
      description =
          "The password itself, taken as it is even when it begins with '-': discouraged, every"
              + " local user sees it in ps. Wins over the file and the environment.")
  String password;

  @Option(
      names = "--key-file",
      paramLabel = "FILE",
      description =
          "Log in by the identity's key (MQTT 5 enhanced authentication; the key never crosses"
              + " the wire) instead of a password: a file holding it (its first line), as troupe"
              + " identity add --coap or identity reset printed it.")
  Path keyFile;

  @Option(
      names = "--key",
      paramLabel = "KEY",
      parameterConsumer = SecretConsumer.class,
      description = "The key itself: discouraged, every local user sees it in ps.")
  String key;

  @Option(
      names = "--machine-key",
      paramLabel = "FILE",
      description =
          "With --key or --key-file: log in with this machine's key pair too, kept in FILE"
              + " (created, owner-only, if absent). The first such login binds the identity to"
              + " this machine until it is reset.")
  Path machineKey;

  @Option(
      names = "--tls",
      description =
          "Connect over TLS (give --port of the gateway's TLS listener, 8883 by default) and"
              + " verify the gateway: by --tls-fingerprint, --tls-trust, else the JDK's trust"
              + " store.")
  boolean tls;

  @Option(
      names = "--tls-fingerprint",
      paramLabel = "SHA256",
      description =
          "Trust only the certificate with this SHA-256, as troupe gateway --tls printed.")
  String tlsFingerprint;

  @Option(
      names = "--tls-trust",
      paramLabel = "FILE",
      description = "Trust the certificates in FILE: PEM, or a PKCS#12 or JKS keystore.")
  Path tlsTrust;

  @Option(
      names = "--debug",
      description = "Log at debug level, with stack traces (default: one line per failure).")
  boolean debug;

  /** A consumer client of the gateway, not yet connected, as {@code user} with {@code secret}. */
  io.troupe.agent.api.TroupeConsumer consumer(final String user, final String secret) {
    return tls(io.troupe.agent.api.TroupeConsumer.builder()
            .host(host)
            .port(port)
            .topicRoot(root)
            .user(user)
            .password(secret))
        .build();
  }

  /**
   * {@code builder} over TLS when {@code --tls} (or a TLS trust option) is given.
   *
   * @throws IllegalArgumentException (exit code 2) for a malformed fingerprint, an unreadable trust
   *     file, or both given
   */
  <B extends io.troupe.agent.api.TroupeClientBuilder<B>> B tls(final B builder) {
    if (tlsFingerprint != null && tlsTrust != null) {
      throw new IllegalArgumentException("give --tls-fingerprint or --tls-trust, not both");
    }
    if (tlsFingerprint != null) {
      return builder.tls(io.troupe.agent.mqtt.TlsSocketFactory.pinned(tlsFingerprint));
    }
    if (tlsTrust != null) {
      return builder.tls(io.troupe.agent.mqtt.TlsSocketFactory.trusting(tlsTrust));
    }
    return tls ? builder.tls(io.troupe.agent.mqtt.TlsSocketFactory.systemTrust()) : builder;
  }

  /**
   * A client of the gateway, not yet connected, as {@code user}: by key when {@code --key} or
   * {@code --key-file} is given, else with the password from {@link #password(String)}.
   */
  io.troupe.agent.api.TroupeConsumer consumer(final String user, final Map<String, String> env) {
    return credentials(
            io.troupe.agent.api.TroupeConsumer.builder()
                .host(host)
                .port(port)
                .topicRoot(root)
                .user(user),
            "TROUPE_PASSWORD",
            env)
        .build();
  }

  /**
   * {@code builder} with the key (and machine key) when one is given, else the password from {@code
   * --password}, {@code --password-file} or {@code environmentVariable}.
   *
   * @throws IllegalArgumentException (exit code 2) when the key file cannot be read, or neither a
   *     key nor a password was given
   */
  <B extends io.troupe.agent.api.TroupeClientBuilder<B>> B credentials(
      final B builder, final String environmentVariable, final Map<String, String> env) {
    tls(builder);
    if (key == null && keyFile == null) {
      if (machineKey != null) {
        throw new IllegalArgumentException("--machine-key needs --key-file FILE or --key KEY");
      }
      return builder.password(password(environmentVariable, env));
    }
    builder.key(key != null ? key : readPasswordFile(keyFile));
    if (machineKey != null) {
      builder.machineKey(machineKey);
    }
    return builder;
  }

  /** Whether a password was given by an option or in {@code environmentVariable}. */
  boolean hasPassword(final String environmentVariable, final Map<String, String> env) {
    return password != null
        || passwordFile != null
        || (env.get(environmentVariable) != null && !env.get(environmentVariable).isEmpty());
  }

  /** {@link #password(String, Map)} from this process's environment. */
  String password(final String environmentVariable) {
    return password(environmentVariable, System.getenv());
  }

  /**
   * The password from {@code --password} (with a warning: {@code ps} shows it), else {@code
   * --password-file}, else {@code environmentVariable}.
   *
   * @throws IllegalArgumentException (one line, exit code 2) when the file cannot be read or is
   *     empty, or no way gave a password
   */
  String password(final String environmentVariable, final Map<String, String> env) {
    if (password != null) {
      spec.commandLine()
          .getErr()
          .println(
              "troupe: warning: --password shows in ps to every local user; use --password-file"
                  + " FILE or "
                  + environmentVariable);
      spec.commandLine().getErr().flush();
      return password;
    }
    if (passwordFile != null) {
      return readPasswordFile(passwordFile);
    }
    final String fromEnv = env.get(environmentVariable);
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return fromEnv;
    }
    throw new IllegalArgumentException(
        "a password is required: --password-file FILE or " + environmentVariable);
  }

  /** The first line of {@code file}, without its line ending. */
  static String readPasswordFile(final Path file) {
    final String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (final NoSuchFileException e) {
      throw new IllegalArgumentException(
          "the password file " + file.toAbsolutePath() + " does not exist");
    } catch (final IOException e) {
      throw new IllegalArgumentException(
          "cannot read the password file " + file.toAbsolutePath() + ": " + e.getMessage());
    }
    final String line = text.lines().findFirst().orElse("");
    if (line.isEmpty()) {
      throw new IllegalArgumentException(
          "the password file " + file.toAbsolutePath() + " is empty");
    }
    return line;
  }
}
