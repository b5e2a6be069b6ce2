package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.DistributionList;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A distribution list's version increases every time the list changes, and keeps increasing across
 * a restart (issue 13, bug 7).
 */
class ListVersionTest {

  private final RouterFixture f = new RouterFixture();

  private DistributionList list() {
    return f.router.serverLists("dev1").stream()
        .map(d -> ((Directive.PublishServers) d).list())
        .filter(l -> l.getAddress().equals("echo.demo"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void version_increasesOnEveryChange_staysWhileTheListIsTheSame_andAcrossARestart() {
    // given
    f.register("dev1", "demo", "echo");
    f.online("dev1", "demo");
    final long first = list().getVersion();
    assertThat(first).isPositive();
    assertThat(list().getVersion()).isEqualTo(first);

    // when: a second server joins the list
    f.register("dev2", "demo", "echo");
    final long second = list().getVersion();

    // then
    assertThat(second).isGreaterThan(first);

    // and: after a restart, the same list again is still newer than any before
    f.clock.advance(Duration.ofSeconds(5));
    f.restart();
    f.router.onConnected(device("dev1"), 9);
    f.online("dev1", "demo");
    assertThat(list().getVersion()).isGreaterThan(second);
  }
}
