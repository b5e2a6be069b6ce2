package io.troupe.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.contract.Invitations;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code troupe invite} builds invitations offline; {@code troupe redeem} checks them first. */
class InviteCommandTest {

  private final Invitations gateway = Invitations.of(new byte[32]);

  @Test
  void invite_printsAFreshUrlTheGatewayVerifies() {
    final String key = gateway.key(Invitations.newKeyId()).toString();
    final String first = run(0, "invite", key, "--host", "gw.example:8883");
    final String second = run(0, "invite", key, "--host", "gw.example");
    assertThat(first).startsWith("troupe://gw.example:8883/i/");
    assertThat(second).startsWith("troupe://gw.example:1883/i/");
    assertThat(first).isNotEqualTo(second);
    assertThat(gateway.verifies(Invitations.parse(first.trim()).orElseThrow())).isTrue();
  }

  @Test
  void invite_notAKey_isAUsageError() {
    run(ExitCodes.USAGE, "invite", "not-a-key");
  }

  @Test
  void redeem_notAnInvitation_isAUsageError_beforeAnyConnection() {
    run(ExitCodes.USAGE, "redeem", "troupe://127.0.0.1:1/i/nonsense");
  }

  @Test
  void keyCreate_unknownAction_isAUsageError() {
    run(
        ExitCodes.USAGE,
        "key",
        "create",
        "echo.demo",
        "--action",
        "own",
        "-u",
        "x",
        "--password",
        "y");
  }

  private static String run(final int exit, final String... args) {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final int code = TroupeCli.run(new PrintWriter(out), new PrintWriter(err), args);
    assertThat(code).as(err.toString()).isEqualTo(exit);
    return out.toString();
  }
}
