package io.troupe.agent.cli;

import io.troupe.agent.api.TroupeConsumer;
import io.troupe.proto.v1.AddIdentity;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityInfo;
import io.troupe.proto.v1.IdentityList;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.IssueCoapKey;
import io.troupe.proto.v1.ListIdentities;
import io.troupe.proto.v1.RemoveIdentity;
import io.troupe.proto.v1.ResetIdentity;
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
 * {@code troupe identity add|list|remove|reset|coap-key}: the gateway's identities, managed as
 * admin, and their keys.
 */
@Command(
    name = "identity",
    mixinStandardHelpOptions = true,
    description =
        "Adds, lists or removes identities, as an admin. The admin password comes from"
            + " --password-file or TROUPE_ADMIN_PASSWORD, else from the file the gateway wrote in"
            + " its home (--home DIR, else TROUPE_HOME, else .troupe/gateway).",
    subcommands = {
      IdentityCommand.Add.class,
      IdentityCommand.ListCommand.class,
      IdentityCommand.Remove.class,
      IdentityCommand.Reset.class,
      CoapKeyCommand.class
    })
final class IdentityCommand {

  static final String ADMIN_PASSWORD = "TROUPE_ADMIN_PASSWORD";

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
      if (secretFile != null) {
        if (!Files.isReadable(secretFile)) {
          throw new IllegalArgumentException(
              "no admin password: "
                  + secretFile.toAbsolutePath()
                  + " (--admin-secret-file) does not exist or is not readable");
        }
        return Connection.readPasswordFile(secretFile);
      }
      final GatewayHome gatewayHome = GatewayHome.of(home, env);
      final Path file = gatewayHome.resolve(SECRET_IN_HOME);
      if (!Files.isReadable(file)) {
        throw new IllegalArgumentException(
            gatewayHome.missing(
                "admin password", file, ", or give --admin-secret-file FILE or " + ADMIN_PASSWORD));
      }
      return Connection.readPasswordFile(file);
    }

    /**
     * {@code --admin-secret-file}, else under {@code --home}, {@code TROUPE_HOME} or the default.
     */
    Path secretFile(final Map<String, String> env) {
      return secretFile != null ? secretFile : GatewayHome.of(home, env).resolve(SECRET_IN_HOME);
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
          ApiUser.print(connection, name + " " + password + "\n");
          throw e;
        }
        ApiUser.print(connection, name + " " + password + " " + key.getCoapKey().getKey() + "\n");
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
      description =
          "Adds an identity and prints NAME PASSWORD (with --coap, NAME PASSWORD KEY), as an"
              + " admin.")
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
        paramLabel = "SECRET",
        parameterConsumer = SecretConsumer.class,
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
      return ApiUser.print(
          admin.connection,
          name + " " + passwordOf(admin.call("add identity " + name, add), newPassword) + "\n");
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists every identity with its role, NAME ROLE a line by name, as an admin.")
  static final class ListCommand implements Callable<Integer> {
    @Mixin Admin admin;

    @Mixin JsonOutput output;

    @Override
    public Integer call() {
      final IdentityList list =
          admin
              .call(
                  "list identities",
                  GatewayRequest.newBuilder()
                      .setListIdentities(ListIdentities.getDefaultInstance())
                      .build())
              .getIdentities();
      return ApiUser.print(admin.connection, output.format(list, ListCommand::format));
    }

    /** {@code NAME ROLE} a line, the roles in lower case as {@code identity add} takes them. */
    static String format(final IdentityList list) {
      final StringBuilder text = new StringBuilder();
      for (final IdentityInfo identity : list.getIdentitiesList()) {
        text.append(identity.getName())
            .append(' ')
            .append(identity.getRole().name().toLowerCase(Locale.ROOT))
            .append('\n');
      }
      return text.toString();
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description =
          "Removes an identity, as an admin: its sessions end, it leaves every community and the"
              + " communities it owned pass to you.")
  static final class Remove implements Callable<Integer> {
    @Mixin Admin admin;

    @Parameters(index = "0", paramLabel = "NAME", description = "The identity to remove.")
    String name;

    @Override
    public Integer call() {
      admin.call(
          "remove identity " + name,
          GatewayRequest.newBuilder()
              .setRemoveIdentity(RemoveIdentity.newBuilder().setName(name))
              .build());
      return ApiUser.print(admin.connection, "removed " + name + "\n");
    }
  }

  @Command(
      name = "reset",
      mixinStandardHelpOptions = true,
      description =
          "Gives an identity a new password and a new key and forgets the machine it was bound"
              + " to; prints NAME PASSWORD KEY, shown this once. The old password and key stop"
              + " working and the identity's other sessions end. An admin resets anyone; log in"
              + " as the identity itself (-u NAME) to reset your own.")
  static final class Reset implements Callable<Integer> {
    @Mixin Admin admin;

    @Parameters(index = "0", paramLabel = "NAME", description = "The identity to reset.")
    String name;

    @Override
    public Integer call() {
      final IdentityInfo reset =
          admin
              .call(
                  "reset identity " + name,
                  GatewayRequest.newBuilder()
                      .setResetIdentity(ResetIdentity.newBuilder().setName(name))
                      .build())
              .getIdentity();
      return ApiUser.print(
          admin.connection,
          reset.getName() + " " + reset.getPassword() + " " + reset.getKey() + "\n");
    }
  }
}
