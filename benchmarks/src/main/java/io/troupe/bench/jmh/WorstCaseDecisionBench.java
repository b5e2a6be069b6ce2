package io.troupe.bench.jmh;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.router.ConsumerRequest;
import io.troupe.router.Decision;
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
 * The decision cost in the worst case: 90% of a service's highest-ranked servers cannot serve
 * (busy, offline, or outside the availability criteria they reported), so every decision passes
 * over them to the last tenth. At 10 and 10,000 servers in one service, under the primary-first and
 * least-loaded rules; compare with {@link DecisionBench}, where every server can serve.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class WorstCaseDecisionBench {

  @Param({"10", "10000"})
  int servers;

  @Param({"BUSY", "OFFLINE", "OUTSIDE_CRITERIA"})
  RouterWorld.Unusable unusable;

  @Param({"PRIMARY_FIRST", "LEAST_LOADED"})
  RequestOrder order;

  private RouterWorld world;
  private final ByteString reply = DecisionBench.reply();
  private ConsumerRequest[] requests;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    world = new RouterWorld(servers, RouterWorld.Layout.ONE_SERVICE, order);
    world.degrade(0.9, unusable);
    requests = DecisionBench.requests(world);
  }

  private String lastServer;

  /** One request routed past the unusable servers and answered. */
  @Benchmark
  public Decision routeAndAnswer() {
    final ConsumerRequest request = requests[next++ % requests.length];
    final Decision d = world.router.onRequest(request);
    if (d instanceof Decision.Forward f) {
      lastServer = f.device();
    }
    return DecisionBench.answer(world, d, reply);
  }

  /** The server the last request went to, for the test that checks the setting. */
  String lastServer() {
    return lastServer;
  }
}
