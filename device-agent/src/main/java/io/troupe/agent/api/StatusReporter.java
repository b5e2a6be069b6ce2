package io.troupe.agent.api;

import io.troupe.agent.internal.MqttSession;
import io.troupe.agent.internal.Outgoing;
import io.troupe.agent.internal.StatusReports;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.StatusMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's retained status, and the one owner of what it says of itself: availability, the
 * application's metrics, the sequence. Publishing never fails: a status the broker did not take is
 * logged, and the next one carries the change.
 */
final class StatusReporter {

  private static final Logger log = LoggerFactory.getLogger(StatusReporter.class);

  private final TroupeAgentBuilder settings;
  private final Topics topics;
  private final MqttSession session;
  private final List<Membership> memberships;
  private final IntSupplier inProgress;
  private final BooleanSupplier active;
  private final AtomicLong sequence = new AtomicLong();
  private volatile Availability availability = Availability.AVAILABLE;
  private volatile Metrics metrics;

  /**
   * @param active whether a status may be published now (started, not left)
   */
  StatusReporter(
      final TroupeAgentBuilder settings,
      final Topics topics,
      final MqttSession session,
      final List<Membership> memberships,
      final IntSupplier inProgress,
      final BooleanSupplier active) {
    this.settings = settings;
    this.topics = topics;
    this.session = session;
    this.memberships = List.copyOf(memberships);
    this.inProgress = inProgress;
    this.active = active;
    this.metrics = settings.metrics;
  }

  void availability(final Availability value) {
    availability = value;
  }

  void metrics(final Metrics value) {
    metrics = value;
  }

  /**
   * The status as it would be published now, with the shares of every community, without using up a
   * sequence number.
   */
  StatusMessage current() {
    return build(sequence.get(), memberships);
  }

  /**
   * Publishes the status (retained) in each community the device has not left, with its shares
   * there; one sequence number for them all. The gateway keeps one presence per device.
   */
  CompletableFuture<Void> publish() {
    if (!active.getAsBoolean()) {
      return CompletableFuture.completedFuture(null);
    }
    final long seq = sequence.incrementAndGet();
    final List<CompletableFuture<Void>> sent = new ArrayList<>();
    for (final Membership m : memberships) {
      if (m.hasLeft()) {
        continue;
      }
      sent.add(
          session
              .publish(
                  Outgoing.of(
                          topics.status(m.community(), settings.deviceId),
                          build(seq, List.of(m)).toByteArray())
                      .asRetained())
              .exceptionally(
                  e -> {
                    log.debug(
                        "status not published [device: {}, community: {}]: {}",
                        settings.deviceId,
                        m.community(),
                        e.toString());
                    return null;
                  }));
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
  }

  private StatusMessage build(final long seq, final List<Membership> in) {
    final StatusMessage status = shares(seq, in);
    final List<String> volunteers =
        in.stream().flatMap(m -> m.volunteerServices().stream()).toList();
    return volunteers.isEmpty()
        ? status
        : status.toBuilder().addAllVolunteerServices(volunteers).build();
  }

  private StatusMessage shares(final long seq, final List<Membership> in) {
    return StatusReports.build(
        settings.deviceId,
        availability,
        in.stream().flatMap(m -> m.shares().stream()).toList(),
        metrics,
        settings.criteria,
        new StatusReports.Load(
            inProgress.getAsInt(), settings.maxRequestsInProgress, StatusReports.jvmMemoryFree()),
        System.currentTimeMillis(),
        seq);
  }
}
