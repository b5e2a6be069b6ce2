package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static io.troupe.router.RouterFixture.reply;
import static io.troupe.router.RouterFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.DistributionEntry;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.SetDistributionRule;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Anonymous services (R15): consumers never learn the server, members may see pseudonyms. */
class AnonymityTest {

  private RouterFixture f;

  @BeforeEach
  void anonymousEchoWithTwoServers() {
    f = new RouterFixture();
    final RegisterService.Builder anonymous =
        RegisterService.newBuilder()
            .setCommunity("demo")
            .setService("echo")
            .setRule(DistributionRule.newBuilder().setAnonymity(Anonymity.ANONYMOUS_TO_CONSUMERS));
    assertThat(f.register("dev1", anonymous).getStatus()).isIn(200, 201);
    f.register("dev2", "demo", "echo");
    f.online("dev1", "demo");
    f.online("dev2", "demo");
  }

  private int setAnonymity(final Anonymity anonymity) {
    return f.api(
            device("dev1"),
            GatewayRequest.newBuilder()
                .setSetDistributionRule(
                    SetDistributionRule.newBuilder()
                        .setAddress("echo.demo")
                        .setRule(DistributionRule.newBuilder().setAnonymity(anonymity)))
                .build())
        .getStatus();
  }

  private Decision.Answer served() {
    final Decision.Forward fw = (Decision.Forward) f.router.onRequest(request("echo.demo"));
    final List<Decision> answer =
        f.router.onReply(
            device(fw.device()), fw.device(), fw.requestId(), reply(fw.requestId(), 200, "hi"));
    return (Decision.Answer) answer.get(0);
  }

  private List<String> listed() {
    return f.router.serverLists("dev1").stream()
        .map(d -> ((Directive.PublishServers) d).list())
        .flatMap(l -> l.getServersList().stream())
        .map(DistributionEntry::getServer)
        .toList();
  }

  @Test
  void anonymousAtRegistration_answerHasNoServer() {
    final Decision.Answer answer = served();
    assertThat(answer.code()).isEqualTo(200);
    assertThat(answer.server()).isEmpty();
  }

  @Test
  void anonymous_namedServerAddress_isNotFound() {
    final Decision d = f.router.onRequest(request("dev2.echo.demo"));
    assertThat(((Decision.Answer) d).refusal()).contains(Status.NOT_FOUND);
    final Decision.Answer unknown = (Decision.Answer) f.router.onRequest(request("dev9.echo.demo"));
    assertThat(((Decision.Answer) d).reason()).isEqualTo(unknown.reason().replace("dev9", "dev2"));
  }

  @Test
  void anonymous_gatewayFailure_reasonNamesNoServer() {
    // given a request forwarded while the other server is gone
    final Decision.Forward fw = (Decision.Forward) f.router.onRequest(request("echo.demo"));
    final String other = fw.device().equals("dev1") ? "dev2" : "dev1";
    f.router.onDisconnected(device(other), -1);
    // when its server goes too
    final List<Decision> out = f.router.onDisconnected(device(fw.device()), -1).decisions();
    // then
    final Decision.Answer answer = (Decision.Answer) out.get(0);
    assertThat(answer.code()).isIn(503, 504);
    assertThat(answer.reason()).doesNotContain("dev1", "dev2");
    assertThat(answer.server()).isEmpty();
  }

  @Test
  void anonymous_noServer_refusalNamesNoServer() {
    f.router.onDisconnected(device("dev1"), -1);
    f.router.onDisconnected(device("dev2"), -1);
    final Decision.Answer answer = (Decision.Answer) f.router.onRequest(request("echo.demo"));
    assertThat(answer.refusal()).contains(Status.UNAVAILABLE);
    assertThat(answer.reason()).doesNotContain("dev1", "dev2");
  }

  @Test
  void setRuleToNamed_answersNameTheServerAgain_andItsAddressResolves() {
    assertThat(setAnonymity(Anonymity.NAMED)).isEqualTo(200);
    assertThat(served().server()).isPresent();
    assertThat(f.router.onRequest(request("dev2.echo.demo"))).isInstanceOf(Decision.Forward.class);
  }

  @Test
  void anonymousToConsumers_membersStillSeeDeviceIds() {
    assertThat(listed()).containsExactly("dev1", "dev2");
  }

  @Test
  void anonymousToAll_listShowsStablePseudonyms_thatSurviveARestart() {
    // given
    assertThat(setAnonymity(Anonymity.ANONYMOUS_TO_ALL)).isEqualTo(200);
    // when
    final List<String> before = listed();
    f.restart();
    final List<String> after = listed();
    // then
    assertThat(before).hasSize(2).doesNotContain("dev1", "dev2").doesNotHaveDuplicates();
    assertThat(before).allSatisfy(p -> assertThat(p).startsWith("server-"));
    assertThat(after).isEqualTo(before);
  }

  @Test
  void anonymousToAll_pseudonymsDifferPerService() {
    assertThat(setAnonymity(Anonymity.ANONYMOUS_TO_ALL)).isEqualTo(200);
    final RouterFixture other = new RouterFixture();
    other.register("dev1", "demo", "echo");
    other.api(
        device("dev1"),
        GatewayRequest.newBuilder()
            .setSetDistributionRule(
                SetDistributionRule.newBuilder()
                    .setAddress("echo.demo")
                    .setRule(
                        DistributionRule.newBuilder().setAnonymity(Anonymity.ANONYMOUS_TO_ALL)))
            .build());
    final String elsewhere =
        ((Directive.PublishServers) other.router.serverLists("dev1").get(0))
            .list()
            .getServers(0)
            .getServer();
    assertThat(listed().get(0)).isNotEqualTo(elsewhere);
  }

  @Test
  void anonymousToAll_forwardedRequestCarriesNoConsumerIdentity() {
    assertThat(setAnonymity(Anonymity.ANONYMOUS_TO_ALL)).isEqualTo(200);
    final Decision.Forward fw = (Decision.Forward) f.router.onRequest(request("echo.demo"));
    assertThat(fw.request().getConsumer()).isEmpty();
  }
}
