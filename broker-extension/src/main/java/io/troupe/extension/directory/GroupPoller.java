package io.troupe.extension.directory;

import io.troupe.extension.metrics.GatewayMetrics;
import io.troupe.router.Directive;
import io.troupe.router.GatewayRouter;
import io.troupe.router.GroupDirectory;
import io.troupe.router.GroupRefresh;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes every community formed from a directory group (R16), run on the extension's executor at
 * the configured interval: reads each group and hands the router what it read. An unreachable
 * directory is logged once per outage (WARN, then INFO when it answers again), counted, and shown
 * in each grouped community's {@code group_status}; the members stay as they are. Once the
 * directory is found unreachable in a round, the round's other groups are not tried: each try would
 * wait for the connect timeout again.
 */
public final class GroupPoller implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(GroupPoller.class);

  private final GatewayRouter router;
  private final GroupDirectory directory;
  private final String name;
  private final int maxGroupMembers;
  private final Consumer<List<Directive>> directives;
  private final GatewayMetrics metrics;

  /** Whether the directory was unreachable at the last round: WARN once, INFO when it is back. */
  private boolean outage;

  /**
   * @param name the directory as the log names it (its URL)
   * @param directives carries out what a refresh decided: lists to republish, topics to clear
   */
  public GroupPoller(
      final GatewayRouter router,
      final GroupDirectory directory,
      final String name,
      final int maxGroupMembers,
      final Consumer<List<Directive>> directives,
      final GatewayMetrics metrics) {
    this.router = Objects.requireNonNull(router, "router");
    this.directory = Objects.requireNonNull(directory, "directory");
    this.name = name;
    this.maxGroupMembers = maxGroupMembers;
    this.directives = Objects.requireNonNull(directives, "directives");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** One round; never throws, so that the schedule goes on. */
  @Override
  public void run() {
    try {
      refreshAll();
    } catch (final RuntimeException e) {
      log.error("directory groups not refreshed [directory: {}]", name, e);
    }
  }

  /** Reads every grouped community's group once and applies it. */
  public synchronized void refreshAll() {
    String unreachable = null;
    boolean answered = false;
    for (final GroupRefresh.Grouped grouped : router.groupedCommunities()) {
      GroupRefresh read;
      if (unreachable != null) {
        read = new GroupRefresh.Failed(unreachable);
      } else {
        try {
          read = new GroupRefresh.Members(directory.members(grouped.group(), maxGroupMembers));
          answered = true;
        } catch (final GroupDirectory.DirectoryException e) {
          read = new GroupRefresh.Failed(e.getMessage());
          if (e.reached()) {
            answered = true;
            log.debug(
                "group not read [community: {}, group: {}, reason: {}]",
                grouped.community(),
                grouped.group(),
                e.getMessage());
          } else {
            unreachable = e.getMessage();
          }
        }
      }
      apply(grouped, read);
    }
    if (unreachable != null && !outage) {
      outage = true;
      log.warn(
          "directory unreachable, communities keep their members [directory: {}, reason: {}]",
          name,
          unreachable);
    } else if (unreachable == null && answered && outage) {
      outage = false;
      log.info("directory reachable again [directory: {}]", name);
    }
  }

  private void apply(final GroupRefresh.Grouped grouped, final GroupRefresh read) {
    final GroupRefresh.Result result =
        router.refreshGroup(grouped.community(), grouped.group(), read);
    switch (result.outcome()) {
      case FAILED -> metrics.directoryFailed();
      case TOO_LARGE -> {
        metrics.groupTooLarge();
        log.warn(
            "group refused [community: {}, group: {}, reason: {}]",
            grouped.community(),
            grouped.group(),
            result.status());
      }
      case APPLIED, STALE -> {}
    }
    directives.accept(result.directives());
  }
}
