package io.troupe.router.internal.status;

import io.troupe.proto.v1.AreaRole;
import io.troupe.proto.v1.AvailabilityCriteria;
import io.troupe.proto.v1.ServiceShare;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.proto.v1.TimeWindow;
import io.troupe.router.StatusLimits;
import io.troupe.router.StatusLimits.Field;
import java.util.List;
import java.util.Optional;

/**
 * Whether a status keeps within {@link StatusLimits}: the first list or name past its limit, with
 * the reason a device is told. Checked before anything of the status is kept, outside the routing
 * lock; the counts come from the parsed message, so the check reads each name once at most.
 */
final class StatusBounds {

  /** The first bound {@code field} a status broke, and why. */
  record Exceeded(Field field, String reason) {}

  private final StatusLimits limits;

  StatusBounds(final StatusLimits limits) {
    this.limits = limits;
  }

  Optional<Exceeded> check(final StatusMessage status) {
    final AvailabilityCriteria criteria = status.getCriteria();
    return count(
            Field.COMPONENTS,
            "metrics.components",
            status.getMetrics().getComponentsCount(),
            limits.maxComponents())
        .or(
            () ->
                count(
                    Field.REQUIRED_COMPONENTS,
                    "criteria.required_components",
                    criteria.getRequiredComponentsCount(),
                    limits.maxRequiredComponents()))
        .or(() -> count(Field.AREAS, "criteria.areas", criteria.getAreasCount(), limits.maxAreas()))
        .or(
            () ->
                count(
                    Field.AREA_ROLES,
                    "criteria.area_roles",
                    criteria.getAreaRolesCount(),
                    limits.maxAreas()))
        .or(
            () ->
                count(
                    Field.WINDOWS,
                    "criteria.windows",
                    criteria.getWindowsCount(),
                    limits.maxWindows()))
        .or(() -> days(criteria.getWindowsList()))
        .or(
            () ->
                count(Field.SERVICES, "services", status.getServicesCount(), limits.maxServices()))
        .or(
            () ->
                count(
                    Field.SERVICES,
                    "volunteer_services",
                    status.getVolunteerServicesCount(),
                    limits.maxServices()))
        .or(() -> names(status));
  }

  private static Optional<Exceeded> count(
      final Field field, final String name, final int count, final int limit) {
    if (count <= limit) {
      return Optional.empty();
    }
    return Optional.of(
        new Exceeded(field, "status lists " + count + " " + name + "; the limit is " + limit));
  }

  private static Optional<Exceeded> days(final List<TimeWindow> windows) {
    for (final TimeWindow w : windows) {
      final Optional<Exceeded> e =
          count(
              Field.WINDOW_DAYS,
              "days in one of criteria.windows",
              w.getDaysCount(),
              StatusLimits.MAX_WINDOW_DAYS);
      if (e.isPresent()) {
        return e;
      }
    }
    return Optional.empty();
  }

  /** The first name longer than the limit; the lists are already bounded, so this is too. */
  private Optional<Exceeded> names(final StatusMessage status) {
    final AvailabilityCriteria criteria = status.getCriteria();
    return name("metrics.components", status.getMetrics().getComponentsList())
        .or(
            () ->
                name("metrics.location.area", List.of(status.getMetrics().getLocation().getArea())))
        .or(() -> name("criteria.required_components", criteria.getRequiredComponentsList()))
        .or(() -> name("criteria.areas", criteria.getAreasList()))
        .or(
            () ->
                name(
                    "criteria.area_roles",
                    criteria.getAreaRolesList().stream().map(AreaRole::getArea).toList()))
        .or(
            () ->
                name(
                    "criteria.windows' time zones",
                    criteria.getWindowsList().stream().map(TimeWindow::getTimeZone).toList()))
        .or(
            () ->
                name(
                    "services",
                    status.getServicesList().stream().map(ServiceShare::getService).toList()))
        .or(() -> name("volunteer_services", status.getVolunteerServicesList()));
  }

  private Optional<Exceeded> name(final String where, final List<String> names) {
    for (final String n : names) {
      if (n.length() > limits.maxNameChars()) {
        return Optional.of(
            new Exceeded(
                Field.NAME_CHARS,
                "a name in "
                    + where
                    + " has "
                    + n.length()
                    + " characters; the limit is "
                    + limits.maxNameChars()));
      }
    }
    return Optional.empty();
  }
}
