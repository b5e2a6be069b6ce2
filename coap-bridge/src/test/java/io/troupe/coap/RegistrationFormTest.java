package io.troupe.coap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistrationFormTest {

  private static final InetSocketAddress SOURCE = new InetSocketAddress("127.0.0.1", 40000);

  @Test
  void registration_readsEveryParameterAndLink() throws Exception {
    final RegistrationForm.Registration r =
        RegistrationForm.registration(
            List.of("ep=dev3", "d=demo", "lt=60", "base=coap://10.0.0.7:5699"),
            "</api>;svc=\"echo\";rt=\"x\", </>;svc=clock",
            SOURCE);

    assertThat(r.endpoint()).isEqualTo("dev3");
    assertThat(r.community()).isEqualTo("demo");
    assertThat(r.lifetimeSeconds()).isEqualTo(60);
    assertThat(r.base()).isEqualTo(new InetSocketAddress("10.0.0.7", 5699));
    assertThat(r.links())
        .containsExactly(
            new RegistrationForm.Link("echo", "/api"), new RegistrationForm.Link("clock", ""));
  }

  @Test
  void registration_defaults_lifetime90000_andTheSourceAsBase() throws Exception {
    final RegistrationForm.Registration r =
        RegistrationForm.registration(List.of("ep=dev3", "d=demo"), "</a/>;svc=echo", SOURCE);

    assertThat(r.lifetimeSeconds()).isEqualTo(90_000);
    assertThat(r.base()).isEqualTo(SOURCE);
    assertThat(r.links()).containsExactly(new RegistrationForm.Link("echo", "/a"));
  }

  @Test
  void registration_refusesWithTheReason() {
    assertRefused(List.of("d=demo"), "</a>;svc=echo", "ep");
    assertRefused(List.of("ep=dev3"), "</a>;svc=echo", "d must name");
    assertRefused(List.of("ep=dev3", "d=demo", "lt=0"), "</a>;svc=echo", "lt");
    assertRefused(List.of("ep=dev3", "d=demo", "lt=4294967296"), "</a>;svc=echo", "lt");
    assertRefused(List.of("ep=dev3", "d=demo", "lt=ten"), "</a>;svc=echo", "lt");
    assertRefused(List.of("ep=dev3", "d=demo", "ep=dev4"), "</a>;svc=echo", "once");
    assertRefused(List.of("ep=dev3", "d=demo", "x=1"), "</a>;svc=echo", "unknown parameter 'x'");
    assertRefused(List.of("ep=dev3", "d=demo", "base=coaps://1.2.3.4"), "</a>;svc=echo", "plain");
    assertRefused(List.of("ep=dev3", "d=demo", "base=coap://example.org"), "</a>;svc=echo", "IP");
    assertRefused(List.of("ep=dev3", "d=demo", "base=coap://1.2.3.4:0"), "</a>;svc=echo", "port");
    assertRefused(
        List.of("ep=dev3", "d=demo", "base=coap://1.2.3.4/p"), "</a>;svc=echo", "without a path");
    assertRefused(List.of("ep=dev3", "d=demo"), "", "list the services");
    assertRefused(List.of("ep=dev3", "d=demo"), "<a>;svc=echo", "path on the device");
    assertRefused(List.of("ep=dev3", "d=demo"), "<//evil/a>;svc=echo", "path on the device");
    assertRefused(List.of("ep=dev3", "d=demo"), "</a>", "svc");
    assertRefused(List.of("ep=dev3", "d=demo"), "</a>;svc=Echo!", "svc");
    assertRefused(List.of("ep=dev3", "d=demo"), "</a>;svc=echo;svc=two", "exactly one");
    assertRefused(List.of("ep=dev3", "d=demo"), "</a>;svc=echo,</b>;svc=echo", "twice");
    assertRefused(List.of("ep=dev3", "d=demo"), "</a>;svc=\"echo", "quote");
  }

  @Test
  void registration_membersAndOpen_forTheCommunityItCreates() throws Exception {
    final RegistrationForm.Registration r =
        RegistrationForm.registration(
            List.of("ep=dev3", "d=demo", "members=alice,dev4,alice", "open=true"),
            "</a>;svc=echo",
            SOURCE);

    assertThat(r.members()).containsExactly("alice", "dev4");
    assertThat(r.open()).isTrue();
    assertThat(RegistrationForm.registration(List.of("ep=dev3", "d=demo"), "</a>;svc=echo", SOURCE))
        .satisfies(
            plain -> {
              assertThat(plain.members()).isEmpty();
              assertThat(plain.open()).isFalse();
            });
    assertRefused(List.of("ep=dev3", "d=demo", "members=alice,,dev4"), "</a>;svc=e", "members");
    assertRefused(List.of("ep=dev3", "d=demo", "members=a/b"), "</a>;svc=e", "members");
    assertRefused(List.of("ep=dev3", "d=demo", "open=yes"), "</a>;svc=e", "open must be");
  }

  @Test
  void registration_communityAndServiceInAnyCase_areLowerCased() throws Exception {
    final RegistrationForm.Registration r =
        RegistrationForm.registration(
            List.of("ep=dev3", "d=ABC"), "</a>;svc=\"ShoppingList\"", SOURCE);

    assertThat(r.community()).isEqualTo("abc");
    assertThat(r.links()).containsExactly(new RegistrationForm.Link("shoppinglist", "/a"));
  }

  @Test
  void base_ipv6Literal() throws Exception {
    assertThat(RegistrationForm.base("coap://[::1]:5700"))
        .isEqualTo(new InetSocketAddress("::1", 5700));
    assertThat(RegistrationForm.base("coap://127.0.0.1"))
        .isEqualTo(new InetSocketAddress("127.0.0.1", 5683));
  }

  @Test
  void update_onlyLifetimeAndBase() throws Exception {
    final RegistrationForm.Update u = RegistrationForm.update(List.of("lt=5"));
    assertThat(u.lifetimeSeconds()).hasValue(5);
    assertThat(u.base()).isEmpty();
    assertThatThrownBy(() -> RegistrationForm.update(List.of("ep=dev3")))
        .isInstanceOf(RegistrationForm.Malformed.class);
  }

  private static void assertRefused(
      final List<String> query, final String payload, final String reason) {
    assertThatThrownBy(() -> RegistrationForm.registration(query, payload, SOURCE))
        .isInstanceOf(RegistrationForm.Malformed.class)
        .hasMessageContaining(reason);
  }
}
