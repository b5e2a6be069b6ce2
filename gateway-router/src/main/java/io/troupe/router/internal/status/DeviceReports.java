package io.troupe.router.internal.status;

import com.google.protobuf.ByteString;
import io.troupe.contract.TopicKind;
import io.troupe.contract.Topics;
import io.troupe.contract.content.DescriptorMerge;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.Conflict;
import io.troupe.proto.v1.ServiceDescriptor;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.router.AccessControl;
import io.troupe.router.Decision;
import io.troupe.router.DescriptorReport;
import io.troupe.router.Directive;
import io.troupe.router.GatewayRouter;
import io.troupe.router.Names;
import io.troupe.router.Principal;
import io.troupe.router.RouterConfig;
import io.troupe.router.RouterMetrics;
import io.troupe.router.Status;
import io.troupe.router.StatusReport;
import io.troupe.router.Verdict;
import io.troupe.router.internal.api.ApiChanges;
import io.troupe.router.internal.devices.ReportedStatus;
import io.troupe.router.internal.devices.ServerState;
import io.troupe.router.internal.devices.VolunteerOffers;
import io.troupe.router.internal.locks.RouterLocks;
import io.troupe.router.internal.presence.Announcements;
import io.troupe.router.internal.presence.DevicePresence;
import io.troupe.router.internal.presence.Synchronisation;
import io.troupe.router.internal.registry.Descriptors;
import io.troupe.router.internal.registry.MergedDescriptors;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.SavedState;
import io.troupe.router.internal.registry.Service;
import io.troupe.router.internal.registry.StateWriter;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What devices say about themselves: their statuses, their descriptors, and the Wills that would
 * say it for them. A status moves only presence, under the routing lock; a newer descriptor is a
 * registry change, written as {@link ApiChanges} writes one (its lock, then the routing lock).
 * {@link GatewayRouter} hands each report here.
 */
public final class DeviceReports {

  private static final Logger log = LoggerFactory.getLogger(DeviceReports.class);

  private final RouterConfig config;
  private final Topics topics;
  private final Clock clock;
  private final Registry registry;
  private final DevicePresence presence;
  private final Reports reports;
  private final Announcements announce;
  private final StateWriter writer;

  /** What each device's statuses volunteer for (R16), per community. */
  private final VolunteerOffers offers;

  /** The requests held for a volunteer that go to a device after its status, as decisions. */
  private final Function<String, List<Decision>> released;

  /** The router's locks, taken in their order. */
  private final RouterLocks locks;

  /** Where refused descriptors are counted; set once the extension's metrics exist. */
  private volatile RouterMetrics metrics = RouterMetrics.NONE;

  /**
   * Reports on {@code registry}, whose servers' states {@code presence} keeps; what statuses
   * volunteer for kept in {@code offers}, and the requests {@code released} names forwarded after
   * each status.
   */
  public DeviceReports(
      final RouterConfig config,
      final Clock clock,
      final Registry registry,
      final DevicePresence presence,
      final Reports reports,
      final Announcements announce,
      final StateWriter writer,
      final RouterLocks locks,
      final VolunteerOffers offers,
      final Function<String, List<Decision>> released) {
    this.offers = offers;
    this.released = released;
    this.config = config;
    this.topics = config.topics();
    this.clock = clock;
    this.registry = registry;
    this.presence = presence;
    this.reports = reports;
    this.announce = announce;
    this.writer = writer;
    this.locks = locks;
  }

  /** Counts refused descriptors in {@code metrics} from now on. */
  public void reportTo(final RouterMetrics metrics) {
    this.metrics = metrics;
  }

  /** {@code refusal}'s verdict, counted when it is one; allowed when there is none. */
  private Verdict counted(final Optional<Descriptors.Refusal> refusal) {
    refusal.ifPresent(r -> metrics.descriptorRefused(r.kind()));
    return refusal.map(Descriptors.Refusal::verdict).orElse(Verdict.allowed());
  }

  /**
   * A status arrived: the verdict, the distribution lists to republish when the status changed the
   * device's availability, and the forwards of requests held for a volunteer (R16) that a server of
   * theirs, available now, takes. A refused status changes nothing. What decisions need of the
   * status is worked out here, before the routing lock is taken.
   */
  public StatusReport report(
      final Principal who, final String community, final String device, final ByteString payload) {
    final Reports.Checked<StatusMessage> checked = reports.status(who, community, device, payload);
    if (!checked.verdict().isAllowed()) {
      return new StatusReport(checked.verdict(), List.of());
    }
    final ReportedStatus ready = ReportedStatus.of(checked.message());
    final Set<String> volunteering = new HashSet<>();
    checked.message().getVolunteerServicesList().forEach(s -> volunteering.add(Names.normalize(s)));
    return locks.routing(
        () -> {
          final long now = clock.millis();
          final ServerState state = presence.server(device);
          final Availability before = state.availability(now, config.statusTimeout());
          state.status(ready, now);
          final boolean changed = before != state.availability(now, config.statusTimeout());
          offers.reported(device, community, volunteering);
          return new StatusReport(
              Verdict.allowed(),
              changed ? announce.changed(device) : List.of(),
              released.apply(device));
        });
  }

  /**
   * Whether a Will a client set at CONNECT may stand: a Will gets exactly the checks of a live
   * publish on its topic. Status and descriptor Wills must pass {@link #report}'s and {@link
   * #describe}'s checks (without their effects); any other topic is checked as a live publish
   * elsewhere would be by the interceptor and {@link AccessControl}.
   */
  public Verdict checkWill(final Principal who, final TopicKind kind, final ByteString payload) {
    if (kind instanceof TopicKind.Status s) {
      return reports.status(who, s.community(), s.device(), payload).verdict();
    }
    if (kind instanceof TopicKind.Descriptor d) {
      final Reports.Checked<ServiceDescriptor> checked =
          reports.descriptor(who, d.community(), d.device(), payload);
      if (!checked.verdict().isAllowed()) {
        return checked.verdict();
      }
      return locks.routing(
          () -> {
            final Optional<Service> found = registry.service(d.community(), d.service());
            final Verdict describes =
                Reports.describes(found, d.community(), d.service(), d.device());
            return describes.isAllowed()
                ? counted(
                    Descriptors.refusal(
                        found.get().community(), found.get(), d.device(), checked.message()))
                : describes;
          });
    }
    return Verdict.refused(
        Status.FORBIDDEN,
        "a Will may only carry the device's own status or descriptor, not '" + kind + "'");
  }

  /**
   * A descriptor arrived: the verdict, and the sync directives to send: a descriptor newer than the
   * one the gateway had tells every other server of the service to reach it (R4, R17).
   */
  public DescriptorReport describe(
      final Principal who,
      final String community,
      final String service,
      final String device,
      final ByteString payload) {
    final Reports.Checked<ServiceDescriptor> checked =
        reports.descriptor(who, community, device, payload);
    if (!checked.verdict().isAllowed()) {
      return new DescriptorReport(checked.verdict(), List.of());
    }
    final ServiceDescriptor descriptor = checked.message();
    return locks.changes(
        () -> {
          final Accepted accepted =
              locks.routing(() -> accept(community, service, device, descriptor));
          if (accepted.early() != null) {
            return accepted.early();
          }
          if (!writer.persist(SavedState.Scope.community(community))) {
            return new DescriptorReport(
                Verdict.refused(Status.INTERNAL_ERROR, "the gateway could not save the descriptor"),
                List.of());
          }
          return new DescriptorReport(Verdict.allowed(), accepted.sync());
        });
  }

  /**
   * What a descriptor did to the registry, under the routing lock: an answer given at once ({@code
   * early}, nothing to write), or the synchronisation to send once the change is written.
   */
  private record Accepted(DescriptorReport early, List<Directive> sync) {}

  private Accepted accept(
      final String community,
      final String service,
      final String device,
      final ServiceDescriptor descriptor) {
    final Optional<Service> found = registry.service(community, service);
    final Verdict describes = Reports.describes(found, community, service, device);
    if (!describes.isAllowed()) {
      return new Accepted(new DescriptorReport(describes, List.of()), List.of());
    }
    final Service s = found.get();
    final Verdict allowed = counted(Descriptors.refusal(s.community(), s, device, descriptor));
    if (!allowed.isAllowed()) {
      return new Accepted(new DescriptorReport(allowed, List.of()), List.of());
    }
    if (DescriptorMerge.synchronised(descriptor)) {
      return merged(s, device, descriptor);
    }
    if (!Descriptors.takesEffect(s, device, descriptor)) {
      return new Accepted(new DescriptorReport(Verdict.allowed(), List.of()), List.of());
    }
    final boolean changed = s.descriptor() != null;
    Descriptors.accept(s, device, descriptor);
    return new Accepted(
        null, changed ? Synchronisation.toReach(topics, s, device, clock.millis()) : List.of());
  }

  /**
   * A synchronised descriptor joins the service's merged one (R4). When the merge changed it, every
   * server behind it is told to reach it; otherwise only the reporter, when it is behind. Nothing
   * is written when nothing changed.
   */
  private Accepted merged(final Service s, final String device, final ServiceDescriptor d) {
    final long now = clock.millis();
    final MergedDescriptors.Outcome outcome = MergedDescriptors.merge(s, device, d, now);
    for (final Conflict c : outcome.conflicts()) {
      log.info(
          "content conflict [address: {}, item: {}, kept_as: {}, rule: {}]",
          s.address(),
          c.getItem(),
          c.getKeptAs(),
          c.getRule());
      metrics.syncConflict();
    }
    final Predicate<String> told = outcome.changed() ? any -> true : device::equals;
    final List<Directive> sync = Synchronisation.toBehind(topics, s, told, false, now);
    return outcome.changed()
        ? new Accepted(null, sync)
        : new Accepted(new DescriptorReport(Verdict.allowed(), sync), List.of());
  }
}
