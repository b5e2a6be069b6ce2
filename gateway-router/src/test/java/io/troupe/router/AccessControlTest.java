package io.troupe.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.contract.Topics;
import io.troupe.proto.v1.IdentityRole;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessControlTest {

  private final RouterFixture f = new RouterFixture();
  private final AccessControl access;

  AccessControlTest() {
    f.register("dev1", "demo", "echo");
    access = new AccessControl(Topics.withDefaultRoot(), f.router::isMember);
  }

  @ParameterizedTest(name = "{0} as {1}/{2} subscribing {3}: {4}")
  @CsvSource({
    "alice, CONSUMER, c1, troupe/r/c1/#, true",
    "alice, CONSUMER, c1, troupe/r/c1/resp, true",
    "alice, CONSUMER, c1, troupe/r/c2/#, false",
    "alice, CONSUMER, c1, troupe/r/+/resp, false",
    "alice, CONSUMER, c1, troupe/d/#, false",
    "alice, CONSUMER, c1, troupe/d/dev1/req, false",
    "alice, CONSUMER, c1, #, false",
    "alice, CONSUMER, c1, troupe/gw/reply/dev1, false",
    "alice, CONSUMER, c1, troupe/c/demo/#, false",
    "dev1, DEVICE, dev1, troupe/d/dev1/#, true",
    "dev1, DEVICE, dev1, troupe/d/dev2/#, false",
    "dev1, DEVICE, dev1-x, troupe/d/dev1/#, false",
    "dev1, DEVICE, dev1, troupe/c/demo/#, true",
    "dev1, DEVICE, dev1, troupe/c/other/#, false",
    "dev1, DEVICE, dev1, troupe/c/+/status/+, false",
    "admin, ADMIN, adm, bench/#, true",
    "admin, ADMIN, adm, troupe/d/#, false",
    "admin, ADMIN, adm, #, false",
    "~invitation, INVITEE, g1, troupe/r/g1/#, true",
    "~invitation, INVITEE, g1, troupe/r/g2/#, false",
    "~invitation, INVITEE, g1, troupe/c/demo/#, false",
    "~invitation, INVITEE, g1, troupe/d/#, false",
    "~invitation, INVITEE, g1, bench/#, false",
  })
  void subscribe(
      final String identity,
      final IdentityRole role,
      final String clientId,
      final String filter,
      final boolean allowed) {
    assertThat(access.maySubscribe(new Principal(identity, role, clientId), filter).isAllowed())
        .isEqualTo(allowed);
  }
}
