package io.troupe.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Where the command line takes passwords from, and what it says when it finds none. */
class SecretsTest {

  @TempDir Path dir;

  private final StringWriter err = new StringWriter();

  private Connection call(final String... args) {
    final CallCommand call = new CallCommand();
    final CommandLine cli = new CommandLine(call);
    cli.setErr(new PrintWriter(err, true));
    cli.parseArgs(args);
    return call.connection;
  }

  private IdentityCommand.Admin identity(final String... args) {
    final IdentityCommand.Add add = new IdentityCommand.Add();
    final CommandLine cli = new CommandLine(add);
    cli.setErr(new PrintWriter(err, true));
    cli.parseArgs(args);
    return add.admin;
  }

  private Path file(final String name, final String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  @Test
  void passwordFile_winsOverTheEnvironment_andLosesItsLineEnding() throws IOException {
    final Path f = file("pw", "from-file\n");
    final Connection c = call("echo.demo", "--password-file", f.toString());
    assertThat(c.password("TROUPE_PASSWORD", Map.of("TROUPE_PASSWORD", "from-env")))
        .isEqualTo("from-file");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void environment_isUsedWhenNoOptionGivesAPassword() {
    final Connection c = call("echo.demo");
    assertThat(c.password("TROUPE_PASSWORD", Map.of("TROUPE_PASSWORD", "from-env")))
        .isEqualTo("from-env");
  }

  @Test
  void passwordOption_winsButWarnsThatPsShowsIt() throws IOException {
    final Path f = file("pw", "from-file");
    final Connection c = call("echo.demo", "--password", "typed", "--password-file", f.toString());
    assertThat(c.password("TROUPE_PASSWORD", Map.of("TROUPE_PASSWORD", "from-env")))
        .isEqualTo("typed");
    assertThat(err.toString()).contains("warning").contains("ps").contains("--password-file");
  }

  @Test
  void missingPasswordFile_isOneLineNamingTheFile() {
    final Path missing = dir.resolve("nope");
    final Connection c = call("echo.demo", "--password-file", missing.toString());
    assertThatThrownBy(() -> c.password("TROUPE_PASSWORD", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the password file " + missing.toAbsolutePath() + " does not exist");
  }

  @Test
  void emptyPasswordFile_isRefused() throws IOException {
    final Path f = file("pw", "\n");
    final Connection c = call("echo.demo", "--password-file", f.toString());
    assertThatThrownBy(() -> c.password("TROUPE_PASSWORD", Map.of()))
        .hasMessageEndingWith("is empty");
  }

  @Test
  void missingPasswordFile_onTheCommandLine_exits2WithExactlyOneLine() {
    final CommandLine cli = TroupeCli.commandLine();
    cli.setErr(new PrintWriter(err, true));
    final int exit =
        cli.execute(
            "agent",
            "--id",
            "dev1",
            "--password-file",
            dir.resolve("nope").toString(),
            "--community",
            "demo",
            "--service",
            "echo",
            "--echo",
            "--port",
            "1");
    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("troupe: the password file ").contains("does not exist");
  }

  @Test
  void adminSecret_isFoundUnderHome_thenTroupeHome_thenTheDefault() {
    final Path home = dir.resolve("gw");
    final Path inHome = home.resolve("extensions/troupe-gateway/data/admin.secret");
    assertThat(identity("x", "--role", "device", "--home", home.toString()).secretFile(Map.of()))
        .isEqualTo(inHome);
    assertThat(identity("x", "--role", "device", "--data", home.toString()).secretFile(Map.of()))
        .isEqualTo(inHome);
    assertThat(identity("x", "--role", "device").secretFile(Map.of("TROUPE_HOME", home.toString())))
        .isEqualTo(inHome);
    assertThat(identity("x", "--role", "device").secretFile(Map.of()))
        .isEqualTo(Path.of(".troupe/gateway/extensions/troupe-gateway/data/admin.secret"));
  }

  @Test
  void adminSecret_isReadFromTheHome_unlessAPasswordIsGiven() throws IOException {
    final Path home = dir.resolve("gw");
    Files.createDirectories(home.resolve("extensions/troupe-gateway/data"));
    file("gw/extensions/troupe-gateway/data/admin.secret", "s3cret\n");
    final IdentityCommand.Admin admin =
        identity("x", "--role", "device", "--home", home.toString());
    assertThat(admin.password(Map.of())).isEqualTo("s3cret");
    assertThat(admin.password(Map.of("TROUPE_ADMIN_PASSWORD", "env"))).isEqualTo("env");
  }

  @Test
  void noAdminSecret_isOneLineSayingWhereItLooked() {
    final Path home = dir.resolve("elsewhere");
    final CommandLine cli = TroupeCli.commandLine();
    cli.setErr(new PrintWriter(err, true));
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("TROUPE_ADMIN_PASSWORD") == null);
    final int exit =
        cli.execute("identity", "add", "x", "--role", "device", "--home", home.toString());
    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString())
        .startsWith("troupe: no admin password: ")
        .contains(
            home.toAbsolutePath().resolve("extensions/troupe-gateway/data/admin.secret").toString())
        .contains("--home");
  }
}
