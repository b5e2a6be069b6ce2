package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static io.troupe.router.SyncItems.held;
import static io.troupe.router.SyncItems.item;
import static io.troupe.router.SyncItems.report;
import static io.troupe.router.SyncItems.told;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Conflict;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.SyncRow;
import io.troupe.proto.v1.SyncService;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The merged descriptor at the gateway (R4): synchronised descriptors are merged item by item, the
 * servers behind are told the merged one, conflicts are reported and counted; legacy descriptors
 * keep replacing as before.
 */
class SyncMergeTest {

  private final RouterFixture f = new RouterFixture();
  private int conflicts;

  @BeforeEach
  void threeServers() {
    f.router.reportTo(
        new RouterMetrics() {
          @Override
          public void syncConflict() {
            conflicts++;
          }
        },
        com.google.common.base.Ticker.systemTicker());
    for (final String d : List.of("dev1", "dev2", "dev3")) {
      f.register(d, "demo", "notes");
      f.online(d, "demo");
    }
  }

  private ServiceDescriptor merged() {
    return f.router.snapshot().getCommunities(0).getServices(0).getServiceDescriptor();
  }

  @Test
  void twoServersWithDifferentItems_mergedHoldsBoth_andTheOthersAreTold() {
    report(f, "dev1", held("r1", item("a.txt", "A", 1, "r1", 1)));

    final DescriptorReport second = report(f, "dev2", held("r2", item("b.txt", "B", 1, "r2", 1)));

    assertThat(merged().getItemsList()).extracting(Item::getName).containsExactly("a.txt", "b.txt");
    assertThat(merged().getReplica()).isEmpty();
    assertThat(told(second.directives())).containsOnlyKeys("dev1", "dev2", "dev3");
    assertThat(told(second.directives()).get("dev1").getSync().getNewest().getItemsCount())
        .isEqualTo(2);
    assertThat(told(second.directives()).get("dev3").getSync().getSourcesList())
        .containsExactly("dev1", "dev2");
  }

  @Test
  void aServerThatHoldsTheMergedDescriptor_isNotTold() {
    final Item a = item("a.txt", "A", 1, "r1", 1);
    report(f, "dev1", held("r1", a));
    report(f, "dev2", held("r2", a));

    final DescriptorReport third = report(f, "dev3", held("r3", a, item("c", "C", 1, "r3", 1)));

    assertThat(told(third.directives())).containsOnlyKeys("dev1", "dev2");
  }

  @Test
  void sameReportAgain_changesNothing_andTellsOnlyTheReporterWhenBehind() {
    report(f, "dev1", held("r1", item("a.txt", "A", 1, "r1", 2)));
    final DescriptorReport behind = report(f, "dev2", held("r2", item("a.txt", "A0", 0, "r1", 1)));
    final DescriptorReport again = report(f, "dev1", held("r1", item("a.txt", "A", 1, "r1", 2)));

    assertThat(told(behind.directives())).containsOnlyKeys("dev2");
    assertThat(told(again.directives())).isEmpty();
    assertThat(merged().getItems(0).getSha256()).isEqualTo(SyncItems.sha("A"));
  }

  @Test
  void concurrentChanges_areAConflict_keptAsACopy_reportedAndCounted() {
    report(f, "dev1", held("r1", item("a.txt", "mine", 10, "r0", 1, "r1", 1)));

    report(f, "dev2", held("r2", item("a.txt", "theirs", 20, "r0", 1, "r2", 1)));

    assertThat(merged().getItemsList()).hasSize(2);
    assertThat(merged().getConflictsList())
        .singleElement()
        .extracting(Conflict::getItem)
        .isEqualTo("a.txt");
    assertThat(conflicts).isEqualTo(1);
    final GatewayResponse table = f.table(device("dev1"), "notes.demo");
    assertThat(table.getTable().getSync().getConflictsList()).hasSize(1);
    assertThat(table.getTable().getSync().getItems()).isEqualTo(2);
    assertThat(f.why(device("dev1"), "notes.demo").getDecisions().getConflictsList()).hasSize(1);
  }

  @Test
  void table_showsHowFarEachServerIs() {
    report(f, "dev1", held("r1", item("a", "A", 1, "r1", 1), item("b", "BB", 1, "r1", 1)));
    report(f, "dev2", held("r2", item("a", "A", 1, "r1", 1)));

    final GatewayResponse table = f.table(device("dev1"), "notes.demo");

    assertThat(table.getTable().getSync().getBytes()).isEqualTo(3);
    assertThat(table.getTable().getSync().getServersList())
        .extracting(SyncRow::getServer, SyncRow::getBehind, SyncRow::getReported)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("dev1", 0, true),
            org.assertj.core.groups.Tuple.tuple("dev2", 1, true),
            org.assertj.core.groups.Tuple.tuple("dev3", 2, false));
  }

  @Test
  void legacyDescriptors_stillReplaceByVersion_andTheTableHasNoSyncReport() {
    report(f, "dev1", ServiceDescriptor.newBuilder().setVersion(3).build());
    report(f, "dev2", ServiceDescriptor.newBuilder().setVersion(2).build());

    assertThat(merged().getVersion()).isEqualTo(3);
    assertThat(merged().getDeviceId()).isEqualTo("dev1");
    assertThat(f.table(device("dev1"), "notes.demo").getTable().hasSync()).isFalse();
  }

  @Test
  void mergedDescriptor_survivesARestart() {
    report(f, "dev1", held("r1", item("a", "A", 1, "r1", 1)));
    report(f, "dev2", held("r2", item("b", "B", 1, "r2", 1)));

    f.restart();

    assertThat(merged().getItemsCount()).isEqualTo(2);
  }

  @Test
  void aServerThatStopsServing_leavesItsContentInTheMergedDescriptor() {
    report(f, "dev1", held("r1", item("a", "A", 1, "r1", 1)));
    report(f, "dev2", held("r2", item("b", "B", 1, "r2", 1)));

    f.api(
        device("dev2"),
        GatewayRequest.newBuilder()
            .setDeregisterService(
                io.troupe.proto.v1.DeregisterService.newBuilder()
                    .setCommunity("demo")
                    .setService("notes"))
            .build());

    assertThat(merged().getItemsCount()).isEqualTo(2);
    assertThat(f.table(device("dev1"), "notes.demo").getTable().getSync().getServersList())
        .extracting(SyncRow::getServer)
        .containsExactly("dev1", "dev3");
  }

  @Test
  void tick_tellsThePresentServersStillBehind_atTheInterval() {
    f.router.configureSync(new SyncLimits(Duration.ofSeconds(30), 8));
    f.router.onTick(); // the first round only starts the schedule
    report(f, "dev1", held("r1", item("a", "A", 1, "r1", 1)));
    report(f, "dev2", held("r2", item("a", "A", 1, "r1", 1)));

    f.clock.advance(Duration.ofSeconds(29));
    assertThat(told(f.router.onTick())).isEmpty();
    f.clock.advance(Duration.ofSeconds(1));
    for (final String d : List.of("dev1", "dev2", "dev3")) { // fresh statuses: all present
      f.status(d, "demo", io.troupe.proto.v1.Availability.AVAILABLE, 0);
    }
    assertThat(told(f.router.onTick())).containsOnlyKeys("dev3");
  }

  @Test
  void syncService_tellsEveryServerToReport_andAnswersTheReport() {
    report(f, "dev1", held("r1", item("a", "A", 1, "r1", 1)));

    final ApiResult r =
        f.router.onApi(
            device("dev2"),
            GatewayRequest.newBuilder()
                .setSyncService(SyncService.newBuilder().setAddress("notes.demo"))
                .build()
                .toByteString());

    assertThat(r.response().getStatus()).isEqualTo(200);
    assertThat(r.response().getSync().getItems()).isEqualTo(1);
    assertThat(told(r.directives())).containsOnlyKeys("dev1", "dev2", "dev3");
    assertThat(told(r.directives()).values()).allMatch(c -> c.getSync().getReport());
  }

  @Test
  void syncService_byANonServer_is403_andAnUnknownAddress404() {
    f.join("dev4", "demo");
    final GatewayRequest sync =
        GatewayRequest.newBuilder()
            .setSyncService(SyncService.newBuilder().setAddress("notes.demo"))
            .build();
    final GatewayRequest unknown =
        GatewayRequest.newBuilder()
            .setSyncService(SyncService.newBuilder().setAddress("nothing.demo"))
            .build();

    assertThat(f.router.onApi(device("dev4"), sync.toByteString()).response().getStatus())
        .isEqualTo(403);
    assertThat(f.router.onApi(device("dev4"), sync.toByteString()).directives()).isEmpty();
    assertThat(f.api(device("dev1"), unknown).getStatus()).isEqualTo(404);
  }
}
