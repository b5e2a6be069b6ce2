package io.troupe.agent.cli;

import io.troupe.agent.api.TroupeConsumer;
import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.IssueCoapKey;
import io.troupe.proto.v1.RemoveIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code troupe identity add|remove|coap-key}: the gateway's identities, managed as admin, and
 * their CoAP keys.
 */
@Command(
    name = "identity",
    mixinStandardHelpOptions = true,
    description =
        "Adds or removes identities as the gateway's admin. The admin password comes from"
            + " --password-file or TROUPE_ADMIN_PASSWORD, else from the file the gateway wrote in"
            + " its home (--home DIR, else TROUPE_HOME, else .troupe/gateway).",
    subcommands = {IdentityCommand.Add.class, IdentityCommand.Remove.class, CoapKeyCommand.class})
final class IdentityCommand {

  static final String ADMIN_PASSWORD = "TROUPE_ADMIN_PASSWORD";

  /** The gateway's home when neither {@code --home} nor {@code TROUPE_HOME} says otherwise. */
  static final Path DEFAULT_HOME = Path.of(".troupe", "gateway");

  /** Where the gateway writes the admin password, under its home. */
  static final Path SECRET_IN_HOME =
      Path.of("extensions", "troupe-gateway", "data", "admin.secret");

  /** Options to log in as admin. */
  static final class Admin {
    @Mixin Connection connection;

    @Option(
        names = {"-u", "--user"},
        description = "Admin identity (default: ${DEFAULT-VALUE}).")
    String user = "admin";

    @Option(
        names = {"--home", "--data"},
        paramLabel = "DIR",
        description =
            "The gateway's home, as given to troupe gateway --home (default: TROUPE_HOME, else"
                + " .troupe/gateway); the admin password is read from"
                + " DIR/extensions/troupe-gateway/data/admin.secret.")
    Path home;

    @Option(
        names = "--admin-secret-file",
        paramLabel = "FILE",
        description = "The admin password file itself, wherever it is.")
    Path secretFile;

    /**
     * The admin password: {@code --password}, {@code --password-file} or {@code
     * TROUPE_ADMIN_PASSWORD}, else the file the gateway wrote.
     *
     * @throws IllegalArgumentException (one line, exit code 2) naming where it looked
     */
    String password(final Map<String, String> env) {
      if (connection.hasPassword(ADMIN_PASSWORD, env)) {
        return connection.password(ADMIN_PASSWORD, env);
      }
      final Path file = secretFile(env).toAbsolutePath();
      if (!Files.exists(file)) {
        throw new IllegalArgumentException(
            "no admin password: "
                + file
                + " does not exist and "
                + ADMIN_PASSWORD
                + " is not set; give the gateway's --home DIR (or TROUPE_HOME),"
                + " --admin-secret-file FILE or "
                + ADMIN_PASSWORD);
      }
      return Connection.readPasswordFile(file);
    }

    /**
     * {@code --admin-secret-file}, else under {@code --home}, {@code TROUPE_HOME} or the default.
     */
    Path secretFile(final Map<String, String> env) {
      if (secretFile != null) {
        return secretFile;
      }
      if (home != null) {
        return home.resolve(SECRET_IN_HOME);
      }
      final String fromEnv = env.get("TROUPE_HOME");
      return (fromEnv == null || fromEnv.isEmpty() ? DEFAULT_HOME : Path.of(fromEnv))
          .resolve(SECRET_IN_HOME);
    }

    GatewayResponse call(final String what, final GatewayRequest request) {
      try (TroupeConsumer admin = connection.consumer(user, password(System.getenv()))) {
        Failed.attempt("connect as " + user, admin.connect());
        return Failed.attempt(what, admin.gatewayApi(request));
      }
    }

    /**
     * Adds an identity and then asks for its CoAP key over the same connection. The key's failure
     * does not lose the new password: it is printed before the failure is thrown.
     */
    void addWithCoapKey(final String name, final GatewayRequest add, final String given) {
      try (TroupeConsumer admin = connection.consumer(user, password(System.getenv()))) {
        Failed.attempt("connect as " + user, admin.connect());
        final String password =
            passwordOf(Failed.attempt("add identity " + name, admin.gatewayApi(add)), given);
        final GatewayResponse key;
        try {
          key =
              Failed.attempt(
                  "issue the CoAP key of " + name,
                  admin.gatewayApi(
                      GatewayRequest.newBuilder()
                          .setIssueCoapKey(IssueCoapKey.newBuilder().setName(name))
                          .build()));
        } catch (final Failed e) {
          System.out.println(name + " " + password);
          throw e;
        }
        System.out.println(name + " " + password + " " + key.getCoapKey().getKey());
      }
    }
  }

  /** The password the gateway generated, else the one given. */
  static String passwordOf(final GatewayResponse added, final String given) {
    return added.getIdentity().getPassword().isEmpty() ? given : added.getIdentity().getPassword();
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Adds an identity and prints NAME PASSWORD (with --coap, NAME PASSWORD KEY).")
  static final class Add implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin Admin admin;

    @Parameters(
        index = "0",
        description = "The identity's name (a device's name is also its MQTT client id).")
    String name;

    @Option(names = "--role", required = true, description = "device, consumer or admin.")
    String role;

    @Option(
        names = "--new-password",
        description = "The identity's password (default: generated by the gateway).")
    String newPassword = "";

    @Option(
        names = "--coap",
        description =
            "Also print the identity's CoAP pre-shared key, issued by the gateway: NAME PASSWORD"
                + " KEY (coap-client -u NAME -k KEY).")
    boolean coap;

    @Override
    public Integer call() {
      final IdentityRole parsed;
      try {
        parsed = IdentityRole.valueOf(role.toUpperCase(Locale.ROOT));
      } catch (final IllegalArgumentException e) {
        throw new ParameterException(
            spec.commandLine(), "--role must be device, consumer or admin, not '" + role + "'");
      }
      final GatewayRequest add =
          GatewayRequest.newBuilder()
              .setAddIdentity(
                  AddIdentity.newBuilder().setName(name).setRole(parsed).setPassword(newPassword))
              .build();
      if (coap) {
        admin.addWithCoapKey(name, add, newPassword);
        return ExitCodes.OK;
      }
      System.out.println(
          name + " " + passwordOf(admin.call("add identity " + name, add), newPassword));
      return ExitCodes.OK;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Removes an identity.")
  static final class Remove implements Callable<Integer> {
    @Mixin Admin admin;

    @Parameters(index = "0")
    String name;

    @Override
    public Integer call() {
      admin.call(
          "remove identity " + name,
          GatewayRequest.newBuilder()
              .setRemoveIdentity(RemoveIdentity.newBuilder().setName(name))
              .build());
      return ExitCodes.OK;
    }
  }
}
