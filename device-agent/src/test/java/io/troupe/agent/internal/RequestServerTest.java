package io.troupe.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.troupe.agent.api.ServiceHandler;
import io.troupe.agent.api.ServiceResponse;
import io.troupe.proto.v1.TunnelRequest;
import io.troupe.proto.v1.TunnelResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RequestServerTest {

  private static final String REPLY_TO = "troupe/gw/reply/dev1";
  private static final byte[] CORRELATION = "req-7".getBytes(StandardCharsets.UTF_8);

  private final List<Outgoing> published = new CopyOnWriteArrayList<>();
  private final Publisher publisher =
      m -> {
        published.add(m);
        return CompletableFuture.completedFuture(null);
      };
  private final AtomicInteger saturationChanges = new AtomicInteger();

  private RequestServer server(final ServiceHandler handler, final int max, final Executor ex) {
    return new RequestServer(
        publisher,
        "troupe/gw/reply/dev1-default",
        "dev1",
        (community, name) -> name.equals("echo") ? Optional.of(handler) : Optional.empty(),
        ex,
        max,
        saturationChanges::incrementAndGet);
  }

  /** A handler that counts its requests in {@code handled} and answers 200. */
  private static ServiceHandler counting(final AtomicInteger handled) {
    return r -> {
      handled.incrementAndGet();
      return CompletableFuture.completedFuture(ServiceResponse.ok(new byte[0], ""));
    };
  }

  private RequestServer server(final ServiceHandler handler) {
    return server(handler, 0, Runnable::run);
  }

  private static Incoming forwarded(final TunnelRequest request) {
    return forwarded(request.toByteArray(), Optional.of(REPLY_TO));
  }

  private static Incoming forwarded(final byte[] payload, final Optional<String> replyTo) {
    return new Incoming(
        "troupe/d/dev1/req", payload, replyTo, Optional.of(CORRELATION), Map.of(), "");
  }

  private static TunnelRequest request(final String service, final String body) {
    return TunnelRequest.newBuilder()
        .setRequestId("r-1")
        .setService(service)
        .setAddress(service + ".demo")
        .setBody(ByteString.copyFromUtf8(body))
        .setContentType("text/plain")
        .build();
  }

  private TunnelResponse onlyAnswer() throws InvalidProtocolBufferException {
    assertThat(published).hasSize(1);
    return TunnelResponse.parseFrom(published.get(0).payload());
  }

  @Test
  void serve_echo_answersOnTheResponseTopicWithTheCorrelationEchoed() throws Exception {
    server(ServiceHandler.echo()).serve(forwarded(request("echo", "hello")));

    final Outgoing reply = published.get(0);
    assertThat(reply.topic()).isEqualTo(REPLY_TO);
    assertThat(reply.correlation()).hasValueSatisfying(c -> assertThat(c).isEqualTo(CORRELATION));
    assertThat(reply.retained()).isFalse();
    final TunnelResponse answer = onlyAnswer();
    assertThat(answer.getRequestId()).isEqualTo("r-1");
    assertThat(answer.getStatus()).isEqualTo(200);
    assertThat(answer.getBody().toStringUtf8()).isEqualTo("hello");
    assertThat(answer.getContentType()).isEqualTo("text/plain");
  }

  @Test
  void serve_syncFetch_answeredBySyncFetchesNeverByTheHandler() throws Exception {
    final AtomicInteger handled = new AtomicInteger();
    final RequestServer server = server(counting(handled), 1, Runnable::run);
    server.answerSyncFetches(
        r -> TunnelResponse.newBuilder().setRequestId(r.getRequestId()).setStatus(200).build());

    server.serve(forwarded(request("echo", "").toBuilder().setMethod("SYNC").build()));

    assertThat(handled).hasValue(0);
    assertThat(onlyAnswer().getStatus()).isEqualTo(200);
    assertThat(published.get(0).correlation())
        .hasValueSatisfying(c -> assertThat(c).isEqualTo(CORRELATION));
    assertThat(server.inProgress()).isZero();
    assertThat(saturationChanges).hasValue(0);
  }

  @Test
  void serve_syncFetchWithoutContent_answers503NotHeldNeverTheHandler() throws Exception {
    final AtomicInteger handled = new AtomicInteger();
    server(counting(handled))
        .serve(forwarded(request("echo", "").toBuilder().setMethod("SYNC").build()));

    assertThat(handled).hasValue(0);
    assertThat(onlyAnswer().getStatus()).isEqualTo(503);
    assertThat(onlyAnswer().getPropertiesMap().get("reason")).startsWith("not held");
  }

  @Test
  void serve_handlerThrows_answers500WithTheReason() throws Exception {
    server(
            r -> {
              throw new IllegalStateException("disk gone");
            })
        .serve(forwarded(request("echo", "x")));

    final TunnelResponse answer = onlyAnswer();
    assertThat(answer.getStatus()).isEqualTo(500);
    assertThat(answer.getPropertiesMap()).containsEntry("reason", "disk gone");
  }

  @Test
  void serve_handlerFutureFails_answers500WithTheCausesReason() throws Exception {
    server(r -> CompletableFuture.supplyAsync(() -> fail("no battery"), Runnable::run))
        .serve(forwarded(request("echo", "x")));

    final TunnelResponse answer = onlyAnswer();
    assertThat(answer.getStatus()).isEqualTo(500);
    assertThat(answer.getPropertiesMap()).containsEntry("reason", "no battery");
  }

  private static ServiceResponse fail(final String why) {
    throw new IllegalStateException(why);
  }

  @Test
  void serve_handlerAnswersNothing_answers500() throws Exception {
    server(r -> CompletableFuture.completedFuture(null)).serve(forwarded(request("echo", "x")));
    assertThat(onlyAnswer().getStatus()).isEqualTo(500);

    published.clear();
    server(r -> null).serve(forwarded(request("echo", "x")));
    assertThat(onlyAnswer().getStatus()).isEqualTo(500);
  }

  @Test
  void serve_malformedRequest_answers400WhenItSaysWhere() throws Exception {
    final byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff};
    server(ServiceHandler.echo()).serve(forwarded(garbage, Optional.of(REPLY_TO)));
    assertThat(onlyAnswer().getStatus()).isEqualTo(400);

    published.clear();
    server(ServiceHandler.echo()).serve(forwarded(garbage, Optional.empty()));
    assertThat(published).isEmpty();
  }

  @Test
  void serve_serviceNotServedHere_answers503SoTheGatewayTriesAnother() throws Exception {
    server(ServiceHandler.echo()).serve(forwarded(request("album", "x")));

    final TunnelResponse answer = onlyAnswer();
    assertThat(answer.getStatus()).isEqualTo(503);
    assertThat(answer.getRequestId()).isEqualTo("r-1");
  }

  @Test
  void serve_withoutResponseTopic_answersOnTheDefaultReplyTopic() {
    server(ServiceHandler.echo())
        .serve(forwarded(request("echo", "x").toByteArray(), Optional.empty()));
    assertThat(published)
        .extracting(Outgoing::topic)
        .containsExactly("troupe/gw/reply/dev1-default");
  }

  @Test
  void serve_atTheInProgressLimit_answers503UntilARequestCompletes() throws Exception {
    // given a handler that holds its first request
    final CompletableFuture<ServiceResponse> held = new CompletableFuture<>();
    final RequestServer server = server(r -> held, 1, Runnable::run);

    // when two requests arrive
    server.serve(forwarded(request("echo", "first")));
    server.serve(forwarded(request("echo", "second")));

    // then the second is refused at once, and the first answered when done
    assertThat(server.inProgress()).isEqualTo(1);
    assertThat(onlyAnswer().getStatus()).isEqualTo(503);
    held.complete(ServiceResponse.ok(new byte[0], ""));
    assertThat(server.inProgress()).isZero();
    assertThat(published).hasSize(2);
    assertThat(TunnelResponse.parseFrom(published.get(1).payload()).getStatus()).isEqualTo(200);
    assertThat(saturationChanges).hasValue(2);
  }

  @Test
  void serve_handlerStillWorkingPastTheDeadline_answers504AndFreesItsSlot() throws Exception {
    // given a handler that never answers, a deadline already passed and no lateness allowed
    final CountDownLatch answered = new CountDownLatch(1);
    final RequestServer server =
        new RequestServer(
            m -> {
              published.add(m);
              answered.countDown();
              return CompletableFuture.completedFuture(null);
            },
            REPLY_TO,
            "dev1",
            (community, name) -> Optional.of(r -> new CompletableFuture<>()),
            Runnable::run,
            1,
            saturationChanges::incrementAndGet,
            Duration.ZERO);

    // when a request arrives
    server.serve(forwarded(request("echo", "x").toBuilder().setDeadlineMs(1).build()));

    // then it is answered 504 and no longer counted
    assertThat(answered.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(onlyAnswer().getStatus()).isEqualTo(504);
    assertThat(server.inProgress()).isZero();
  }

  @Test
  void serve_executorRejects_answers503AndCountsNothing() throws Exception {
    final RequestServer server =
        server(
            ServiceHandler.echo(),
            0,
            r -> {
              throw new RejectedExecutionException("stopping");
            });
    server.serve(forwarded(request("echo", "x")));

    assertThat(onlyAnswer().getStatus()).isEqualTo(503);
    assertThat(server.inProgress()).isZero();
  }

  @Test
  void serve_runsTheHandlerOnTheExecutor() {
    final List<Runnable> tasks = new CopyOnWriteArrayList<>();
    final RequestServer server = server(ServiceHandler.echo(), 0, tasks::add);

    server.serve(forwarded(request("echo", "x")));

    assertThat(published).isEmpty();
    assertThat(server.inProgress()).isEqualTo(1);
    tasks.forEach(Runnable::run);
    assertThat(published).hasSize(1);
    assertThat(server.inProgress()).isZero();
  }

  @Test
  void ping_answers200OnTheDevicesReplyTopic_withThePingIdAsCorrelationAndRequestId()
      throws Exception {
    server(ServiceHandler.echo()).ping("ping.7");
    final TunnelResponse answer = onlyAnswer();
    assertThat(answer.getRequestId()).isEqualTo("ping.7");
    assertThat(answer.getStatus()).isEqualTo(200);
    assertThat(published.get(0).topic()).isEqualTo("troupe/gw/reply/dev1-default");
    assertThat(published.get(0).correlation())
        .hasValueSatisfying(
            c -> assertThat(new String(c, StandardCharsets.UTF_8)).isEqualTo("ping.7"));
  }

  @Test
  void warmUp_answersASyntheticRequestEndToEnd_withoutTheApplicationsHandler() throws Exception {
    final AtomicInteger handled = new AtomicInteger();
    final RequestServer server = server(counting(handled));
    server.warmUp().get(5, TimeUnit.SECONDS);
    final TunnelResponse answer = onlyAnswer();
    assertThat(answer.getStatus()).isEqualTo(200);
    assertThat(answer.getBody().toStringUtf8()).isEqualTo("warm-up");
    assertThat(published.get(0).topic()).isEqualTo("troupe/gw/reply/dev1-default");
    assertThat(handled).hasValue(0);
    assertThat(server.inProgress()).isZero();
  }
}
