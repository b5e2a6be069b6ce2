package io.troupe.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Conflict;
import io.troupe.proto.v1.Decisions;
import io.troupe.proto.v1.LoadTable;
import io.troupe.proto.v1.SyncReport;
import io.troupe.proto.v1.SyncRow;
import org.junit.jupiter.api.Test;

/** What {@code troupe sync} prints, and the sync lines of {@code troupe table} and {@code why}. */
class SyncFormatTest {

  private static final Conflict CONFLICT =
      Conflict.newBuilder()
          .setItem("notes.txt")
          .setKeptAs("notes.txt.conflict-r2-0a1b2c3d")
          .setRule("later change wins")
          .build();

  private static final SyncReport REPORT =
      SyncReport.newBuilder()
          .setAddress("notes.demo")
          .setItems(3)
          .setBytes(1_024)
          .setVersion(7)
          .addServers(SyncRow.newBuilder().setServer("dev1").setReported(true))
          .addServers(SyncRow.newBuilder().setServer("dev2").setReported(true).setBehind(2))
          .addServers(SyncRow.newBuilder().setServer("dev3").setBehind(3))
          .addConflicts(CONFLICT)
          .build();

  @Test
  void sync_aLinePerServer_thenTheConflicts() {
    assertThat(SyncCommand.format(REPORT).lines())
        .containsExactly(
            "sync: notes.demo holds 3 items, 1024 bytes, version 7",
            "SERVER  REPORTED  BEHIND",
            "dev1    yes       in sync",
            "dev2    yes       2 items",
            "dev3    no        3 items",
            "conflict: notes.txt (other version kept as notes.txt.conflict-r2-0a1b2c3d),"
                + " later change wins");
  }

  @Test
  void table_endsWithItsSyncSection_onlyForASynchronisedService() {
    final LoadTable plain =
        LoadTable.newBuilder()
            .setAddress("notes.demo")
            .setCommunity("demo")
            .setService("notes")
            .build();
    assertThat(TableCommand.format(plain)).doesNotContain("sync:");
    assertThat(TableCommand.format(plain.toBuilder().setSync(REPORT).build()))
        .endsWith(SyncCommand.format(REPORT));
  }

  @Test
  void why_endsWithTheConflicts() {
    final Decisions none =
        Decisions.newBuilder().setAddress("notes.demo").addConflicts(CONFLICT).build();
    assertThat(WhyCommand.format(none).lines())
        .containsExactly(
            "no recent decisions for notes.demo",
            "conflict: notes.txt (other version kept as notes.txt.conflict-r2-0a1b2c3d),"
                + " later change wins");
  }
}
