package io.troupe.bench.jmh;

import com.google.protobuf.ByteString;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.proto.v1.TunnelResponse;
import io.troupe.router.ConsumerRequest;
import io.troupe.router.Decision;
import io.troupe.router.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one routing decision as the gateway pays it: a consumer's request is routed ({@code
 * onRequest}) and the chosen server's answer taken ({@code onReply}), which is the whole router
 * work of a request that succeeds first time. At 10, 1,000 and 10,000 servers, all in one service
 * or spread over up to 1,000 communities, under the primary-first and least-loaded rules.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class DecisionBench {

  @Param({"10", "1000", "10000"})
  int servers;

  @Param({"ONE_SERVICE", "COMMUNITIES"})
  RouterWorld.Layout layout;

  @Param({"PRIMARY_FIRST", "LEAST_LOADED"})
  RequestOrder order;

  private RouterWorld world;
  private final ByteString reply = reply();
  private ConsumerRequest[] requests;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    world = new RouterWorld(servers, layout, order);
    requests = requests(world);
  }

  /** One request routed and answered; returns the answer so that nothing is optimised away. */
  @Benchmark
  public Decision routeAndAnswer() {
    return routeAndAnswer(world, requests[next++ % requests.length], reply);
  }

  /** The requests of a consumer to every service of {@code world}, one each. */
  static ConsumerRequest[] requests(final RouterWorld world) {
    final Principal consumer = new Principal("alice", IdentityRole.CONSUMER, "alice-1");
    final Topics topics = Topics.withDefaultRoot();
    final ConsumerRequest[] requests = new ConsumerRequest[world.addresses.size()];
    for (int i = 0; i < requests.length; i++) {
      requests[i] =
          new ConsumerRequest(
              consumer,
              world.addresses.get(i),
              Optional.of(topics.response(consumer.clientId(), "r")),
              ByteString.copyFromUtf8("c"),
              ByteString.copyFromUtf8("ping"),
              "",
              Map.of(),
              Optional.empty());
    }
    return requests;
  }

  /** A server's answer: 200, "pong". */
  static ByteString reply() {
    return TunnelResponse.newBuilder()
        .setStatus(200)
        .setBody(ByteString.copyFromUtf8("pong"))
        .build()
        .toByteString();
  }

  /** Routes {@code request} in {@code world} and takes the chosen server's {@code reply}. */
  static Decision routeAndAnswer(
      final RouterWorld world, final ConsumerRequest request, final ByteString reply) {
    return answer(world, world.router.onRequest(request), reply);
  }

  /** Takes the {@code reply} of the server decision {@code d} forwarded to. */
  static Decision answer(final RouterWorld world, final Decision d, final ByteString reply) {
    if (!(d instanceof Decision.Forward f)) {
      throw new IllegalStateException("not routed: " + d);
    }
    final List<Decision> answer =
        world.router.onReply(RouterWorld.device(f.device()), f.device(), f.requestId(), reply);
    if (answer.size() != 1) {
      throw new IllegalStateException("not answered once: " + answer);
    }
    return answer.get(0);
  }
}
