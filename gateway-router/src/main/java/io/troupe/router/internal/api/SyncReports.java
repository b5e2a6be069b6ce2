package io.troupe.router.internal.api;

import io.troupe.contract.content.DescriptorMerge;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.SyncReport;
import io.troupe.proto.v1.SyncRow;
import io.troupe.router.internal.presence.Synchronisation;
import io.troupe.router.internal.registry.ServerEntry;
import io.troupe.router.internal.registry.Service;
import java.util.Optional;
import java.util.function.Function;

/**
 * How far the servers of a synchronised service are (R4): the merged descriptor's summary, each
 * server's items behind it, and the conflicts resolved. For the table, {@code why} and {@code
 * troupe sync}.
 */
final class SyncReports {

  private SyncReports() {}

  /**
   * The report of {@code s}, its servers named by {@code shown}; empty when its descriptor does not
   * take part in synchronisation.
   */
  static Optional<SyncReport> of(final Service s, final Function<String, String> shown) {
    final ServiceDescriptor merged = s.descriptor();
    if (merged == null || !DescriptorMerge.synchronised(merged)) {
      return Optional.empty();
    }
    final SyncReport.Builder report =
        SyncReport.newBuilder()
            .setAddress(s.address())
            .setVersion(merged.getVersion())
            .addAllConflicts(merged.getConflictsList());
    for (final Item i : merged.getItemsList()) {
      if (!i.getDeleted()) {
        report.setItems(report.getItems() + 1).setBytes(report.getBytes() + i.getSize());
      }
    }
    for (final ServerEntry e : s.servers().values()) {
      final boolean reported = s.reportedBy(e.device()) != null;
      report.addServers(
          SyncRow.newBuilder()
              .setServer(shown.apply(e.device()))
              .setReported(reported)
              .setBehind(
                  reported ? Synchronisation.itemsBehind(s, e.device()) : merged.getItemsCount()));
    }
    return Optional.of(report.build());
  }
}
