package io.troupe.bench.jmh;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.RequestOrder;
import io.troupe.router.GatewayRouter;
import io.troupe.router.Principal;
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
 * Status messages taken in-process ({@code router.report}), in statuses per second, with 10,000
 * servers in one service: {@code steady} statuses repeat the availability the router has (the
 * periodic report), {@code flapping} ones change it every time (AVAILABLE, then BUSY), so each
 * changes the retained distribution list. The gateway's one-second tick runs after every 1,000
 * statuses and its lists are counted in, since that is where coalesced lists come out.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class StatusIngestBench {

  @Param({"10000"})
  int servers;

  @Param({"ONE_SERVICE", "COMMUNITIES"})
  RouterWorld.Layout layout;

  private GatewayRouter router;
  private Principal[] who;
  private String[] community;
  private String[] device;
  private ByteString[] available;
  private ByteString[] busy;
  private long sent;

  @Setup(Level.Trial)
  public void setUp() {
    final RouterWorld world = new RouterWorld(servers, layout, RequestOrder.PRIMARY_FIRST);
    router = world.router;
    who = new Principal[servers];
    community = new String[servers];
    device = new String[servers];
    available = new ByteString[servers];
    busy = new ByteString[servers];
    for (int i = 0; i < servers; i++) {
      device[i] = world.devices.get(i);
      community[i] = world.communityOf.get(i);
      who[i] = RouterWorld.device(device[i]);
      available[i] = RouterWorld.status(device[i], Availability.AVAILABLE);
      busy[i] = RouterWorld.status(device[i], Availability.BUSY);
    }
  }

  @Benchmark
  public int steady() {
    final int i = (int) (sent++ % servers);
    return router.report(who[i], community[i], device[i], available[i]).directives().size()
        + tick();
  }

  @Benchmark
  public int flapping() {
    final long n = sent++;
    final int i = (int) (n % servers);
    final ByteString status = (n / servers) % 2 == 0 ? busy[i] : available[i];
    return router.report(who[i], community[i], device[i], status).directives().size() + tick();
  }

  private int tick() {
    return sent % 1_000 == 0 ? router.onTick().size() : 0;
  }
}
