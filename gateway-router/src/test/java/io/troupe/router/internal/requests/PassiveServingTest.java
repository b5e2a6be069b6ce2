package io.troupe.router.internal.requests;

import static io.troupe.router.RouterFixture.device;
import static io.troupe.router.RouterFixture.reply;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.RegisterService;
import io.troupe.router.ConsumerRequest;
import io.troupe.router.Decision;
import io.troupe.router.Directive;
import io.troupe.router.RouterFixture;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Passive servers (R17): told to serve locally when they call their service and none answers. */
class PassiveServingTest {

  private RouterFixture f;

  @BeforeEach
  void primaryAndPassive() {
    f = new RouterFixture();
    f.register("dev1", "demo", "echo");
    final RegisterService.Builder passive =
        RegisterService.newBuilder().setCommunity("demo").setService("echo").setPassive(true);
    assertThat(f.register("dev2", passive).getStatus()).isIn(200, 201);
    f.online("dev1", "demo");
    f.online("dev2", "demo");
  }

  private static ConsumerRequest from(final String device) {
    return new ConsumerRequest(
        device(device),
        "echo.demo",
        Optional.of("troupe/r/" + device + "/resp"),
        ByteString.copyFromUtf8("corr"),
        ByteString.copyFromUtf8("hello"),
        "text/plain",
        Map.of(),
        Optional.empty());
  }

  private static Control control(final Decision.Answer answer) {
    assertThat(answer.directives()).hasSize(1);
    return ((Directive.SendControl) answer.directives().get(0)).control();
  }

  @Test
  void passiveCallsItsService_primaryThere_isForwardedToThePrimary() {
    final Decision d = f.router.onRequest(from("dev2"));
    assertThat(((Decision.Forward) d).device()).isEqualTo("dev1");
  }

  @Test
  void passiveCallsItsService_noActiveServer_503AndInstallLocally() {
    // given
    f.router.onDisconnected(device("dev1"), -1);
    // when
    final Decision.Answer answer = (Decision.Answer) f.router.onRequest(from("dev2"));
    // then
    assertThat(answer.code()).isEqualTo(503);
    assertThat(answer.reason()).contains("serve locally");
    final Directive.SendControl send = (Directive.SendControl) answer.directives().get(0);
    assertThat(send.device()).isEqualTo("dev2");
    assertThat(send.topic()).isEqualTo(f.config.topics().deviceControl("dev2"));
    final Control control = send.control();
    assertThat(control.hasInstallLocally()).isTrue();
    assertThat(control.getAddress()).isEqualTo("echo.demo");
    assertThat(control.getService()).isEqualTo("echo");
    assertThat(control.getInstallLocally().getServiceDescriptor().getService()).isEqualTo("echo");
    assertThat(control.getInstallLocally().getSourcesList()).containsExactly("dev1");
  }

  @Test
  void passiveCallsItsService_primaryLeavesMeanwhile_503AndInstallLocally() {
    f.router.onRequest(from("dev2"));
    final List<Decision> out = f.router.onDisconnected(device("dev1"), -1).decisions();
    final Decision.Answer answer = (Decision.Answer) out.get(0);
    assertThat(answer.code()).isEqualTo(503);
    assertThat(control(answer).hasInstallLocally()).isTrue();
  }

  @Test
  void otherConsumer_noActiveServer_plain503WithoutControl() {
    f.router.onDisconnected(device("dev1"), -1);
    final Decision.Answer answer =
        (Decision.Answer) f.router.onRequest(RouterFixture.request("echo.demo"));
    assertThat(answer.code()).isEqualTo(503);
    assertThat(answer.directives()).isEmpty();
  }

  @Test
  void passive_answeredByThePrimary_getsNoControl() {
    final Decision.Forward fw = (Decision.Forward) f.router.onRequest(from("dev2"));
    final List<Decision> out =
        f.router.onReply(device("dev1"), "dev1", fw.requestId(), reply(fw.requestId(), 200, "x"));
    assertThat(((Decision.Answer) out.get(0)).directives()).isEmpty();
  }
}
