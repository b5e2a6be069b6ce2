package io.troupe.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvitationsTest {

  @TempDir Path home;

  private final Invitations gateway = Invitations.of(new byte[32]);

  @Test
  void openOrCreate_writesAnOwnerOnlySigningSecretOnce() throws Exception {
    final String keyId = Invitations.newKeyId();
    final Invitations.Key first = Invitations.openOrCreate(home).key(keyId);
    final Path file = Invitations.signingKeyFile(home);
    assertThat(Files.size(file)).isEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Invitations.openOrCreate(home).key(keyId).secret()).isEqualTo(first.secret());
  }

  @Test
  void invite_madeOfflineFromTheKey_verifiesAtTheGateway() {
    final Invitations.Key key = gateway.key(Invitations.newKeyId());
    final Invitations.Token token = Invitations.invite(key);
    assertThat(token.keyId()).hasSize(16);
    assertThat(token.nonce()).hasSize(22);
    assertThat(token.mac()).hasSize(43);
    assertThat(gateway.verifies(token)).isTrue();
    assertThat(Invitations.invite(key).nonce()).isNotEqualTo(token.nonce());
  }

  @Test
  void verifies_tamperedNonceOrMac_isFalse() {
    final Invitations.Token token = Invitations.invite(gateway.key(Invitations.newKeyId()));
    final Invitations.Token otherNonce =
        new Invitations.Token(token.keyId(), Invitations.newKeyId() + "abcdef", token.mac());
    final char c = token.mac().charAt(0);
    final Invitations.Token otherMac =
        new Invitations.Token(
            token.keyId(), token.nonce(), (c == 'A' ? 'B' : 'A') + token.mac().substring(1));
    assertThat(gateway.verifies(otherNonce)).isFalse();
    assertThat(gateway.verifies(otherMac)).isFalse();
  }

  @Test
  void verifies_keyOfAnotherSigningSecret_isFalse() {
    final byte[] other = new byte[32];
    other[0] = 1;
    final Invitations.Token forged =
        Invitations.invite(Invitations.of(other).key(Invitations.newKeyId()));
    assertThat(gateway.verifies(forged)).isFalse();
  }

  @Test
  void newKeyId_neverStartsWithADash_soACommandLineNeverTakesItForAnOption() {
    for (int i = 0; i < 2_000; i++) {
      assertThat(Invitations.newKeyId()).hasSize(16).doesNotStartWith("-");
    }
  }

  @Test
  void parse_acceptsTheUrlAndTheBareToken() {
    final Invitations.Token token = Invitations.invite(gateway.key(Invitations.newKeyId()));
    final String url = Invitations.url("gw.example:1883", token);
    assertThat(url).isEqualTo("troupe://gw.example:1883/i/" + token);
    assertThat(Invitations.parse(url)).contains(token);
    assertThat(Invitations.parse(token.toString())).contains(token);
    assertThat(Invitations.parse("coaps://h/i/" + token)).contains(token);
  }

  @Test
  void parse_malformed_isEmpty() {
    final Invitations.Token token = Invitations.invite(gateway.key(Invitations.newKeyId()));
    assertThat(Invitations.parse("")).isEmpty();
    assertThat(Invitations.parse("troupe://h/x/" + token)).isEmpty();
    assertThat(Invitations.parse(token + ".x")).isEmpty();
    assertThat(Invitations.parse(token.toString().replace('.', ':'))).isEmpty();
    assertThat(Invitations.parse(token.keyId() + "." + token.nonce() + ".a+b")).isEmpty();
  }

  @Test
  void key_printedAsKeyIdDotSecret_parsesBack() {
    final Invitations.Key key = gateway.key(Invitations.newKeyId());
    final Invitations.Key parsed = Invitations.parseKey(key.toString()).orElseThrow();
    assertThat(parsed.keyId()).isEqualTo(key.keyId());
    assertThat(parsed.secret()).isEqualTo(key.secret());
    assertThat(Invitations.parseKey("nodot")).isEmpty();
  }
}
