package io.troupe.router.internal.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.troupe.contract.Names;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.router.ApiResult;
import io.troupe.router.Directive;
import io.troupe.router.GroupRefresh;
import io.troupe.router.Logins;
import io.troupe.router.Principal;
import io.troupe.router.StateStore;
import io.troupe.router.Status;
import io.troupe.router.internal.locks.RouterLocks;
import io.troupe.router.internal.login.Passwords;
import io.troupe.router.internal.presence.Announcements;
import io.troupe.router.internal.registry.Community;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.SavedState;
import io.troupe.router.internal.registry.Service;
import io.troupe.router.internal.registry.StateWriter;
import io.troupe.router.internal.requests.RequestRouter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes to the registry: the API's operations, the bootstrap admin and logins' changes. Each
 * takes the change lock and then the routing lock ({@link RouterLocks}), and writes holding only
 * {@code changes}, so writes come in the order of the changes and routing never waits for the disk.
 */
public final class ApiChanges {

  /** Logged under the router's name, where operators look for undone changes. */
  private static final Logger log = LoggerFactory.getLogger(ApiChanges.class);

  private final Clock clock;
  private final Registry registry;
  private final GatewayApi api;
  private final Passwords passwords;
  private final RequestRouter requests;
  private final Announcements announce;
  private final ObservationOps observation;

  /** {@code SyncService}: directives and a report, nothing written. */
  private final SyncOps syncOps;

  /** The access-policy operations, which write their own rows (R12). */
  private final PolicyOps policyOps;

  /** Writes what changes to the store; used holding the change lock. */
  private final StateWriter writer;

  /** The router's locks, taken in their order. */
  private final RouterLocks locks;

  /** Changes to {@code registry}, written by {@code writer}. */
  public ApiChanges(
      final Clock clock,
      final Registry registry,
      final GatewayApi api,
      final Passwords passwords,
      final RequestRouter requests,
      final Announcements announce,
      final ObservationOps observation,
      final SyncOps syncOps,
      final PolicyOps policyOps,
      final StateWriter writer,
      final RouterLocks locks) {
    this.policyOps = policyOps;
    this.clock = clock;
    this.registry = registry;
    this.api = api;
    this.passwords = passwords;
    this.requests = requests;
    this.announce = announce;
    this.observation = observation;
    this.syncOps = syncOps;
    this.writer = writer;
    this.locks = locks;
  }

  /** Tells {@code metrics} of every refused key and invitation from now on. */
  public void reportTo(final io.troupe.router.RouterMetrics metrics) {
    api.reportTo(metrics);
  }

  /**
   * Creates an admin identity with {@code password} and saves it: the gateway's bootstrap, done
   * once when no admin exists.
   *
   * @throws IllegalArgumentException if the name is not a valid identity name or exists
   */
  public void addAdmin(final String name, final String password) {
    Names.requireLabel(name, "admin name");
    final IdentityRecord record = passwords.record(name, IdentityRole.ADMIN, password);
    locks.changes(
        () -> {
          locks.routing(
              () -> {
                if (registry.identities().containsKey(name)) {
                  throw new IllegalArgumentException("identity '" + name + "' exists");
                }
                registry.putIdentity(record);
              });
          if (!writer.persist(SavedState.Scope.NO_COMMUNITY)) {
            throw new StateStore.StateStoreException("could not save the admin identity", null);
          }
        });
  }

  /**
   * Runs {@code action} on the registry under the lock and, if {@code changed} holds for its
   * result, writes the change like any other: how {@link Logins} reads identities and binds client
   * ids. A change that cannot be written is undone and logged.
   */
  public <T> T inRegistry(final Function<Registry, T> action, final Predicate<T> changed) {
    return locks.changes(
        () -> {
          final T result =
              locks.routing(
                  () -> {
                    return action.apply(registry);
                  });
          if (changed.test(result) && !writer.persist(SavedState.Scope.NO_COMMUNITY)) {
            log.warn("could not save a login's change; it is undone");
          }
          return result;
        });
  }

  /**
   * Handles a request on {@code {root}/gw/api}. A change is durable before the answer is returned;
   * if it cannot be saved, the change is undone and the answer is 500. Changes are applied one at a
   * time; routing goes on while one is written. {@code ShowTable} and {@code ExplainDecisions} only
   * read, and never wait for a write ({@link ObservationOps}).
   */
  public ApiResult onApi(final Principal who, final ByteString payload) {
    final GatewayRequest request;
    try {
      request = io.troupe.router.Names.normalize(GatewayRequest.parseFrom(payload));
    } catch (final InvalidProtocolBufferException e) {
      return new ApiResult(
          ApiAnswers.failure(Status.BAD_REQUEST, "malformed GatewayRequest: " + e.getMessage()),
          List.of());
    }
    if (PolicyOps.handles(request)) {
      return new ApiResult(policyOps.handle(who, request), List.of());
    }
    if (request.hasShowTable() || request.hasExplainDecisions()) {
      return new ApiResult(observe(who, request), List.of());
    }
    if (request.hasSyncService()) {
      return locks.routing(() -> syncOps.sync(who, request.getSyncService(), clock.millis()));
    }
    final Optional<IdentityOps.Prepared> prepared = api.prepare(who, request);
    return commit(
        () -> api.handle(who, request, prepared),
        () -> StateWriter.scopeOf(request, registry),
        who.identity() + ", operation: " + request.getOperationCase());
  }

  /**
   * Runs {@code operation} under the locks and, if it changed the registry, writes {@code scope}
   * (read after the operation) before it answers; a change that cannot be written is undone and the
   * answer is 500. {@code what} names the change in the log.
   */
  private ApiResult commit(
      final java.util.function.Supplier<ApiOutcome> operation,
      final java.util.function.Supplier<SavedState.Scope> scopeAfter,
      final String what) {
    return locks.changes(
        () -> {
          final Handled handled =
              locks.routing(
                  () -> {
                    final ApiOutcome done = operation.get();
                    final SavedState.Scope changedScope = scopeAfter.get();
                    if (done.changed()) {
                      registrationsChanged(changedScope);
                    }
                    return new Handled(done, changedScope);
                  });
          final ApiOutcome outcome = handled.outcome();
          final SavedState.Scope scope = handled.scope();
          if (!outcome.changed()) {
            return new ApiResult(outcome.response(), outcome.effects());
          }
          final Map<Service, Optional<String>> wasPrimary = new HashMap<>();
          for (final Service s : outcome.touched()) {
            wasPrimary.put(s, writer.primaryOf(s.community().name(), s.name()));
          }
          if (!writer.persist(scope)) {
            log.error("change undone [identity: {}]", what);
            return new ApiResult(
                ApiAnswers.failure(Status.INTERNAL_ERROR, "the gateway could not save the change"),
                List.of());
          }
          final List<Directive> directives = new ArrayList<>(outcome.effects());
          locks.routing(
              () -> {
                for (final Service s : outcome.touched()) {
                  if (registry.serviceAt(s.address()) == s) {
                    directives.add(announce.list(s));
                    announce.promotion(wasPrimary.get(s), s).ifPresent(directives::add);
                  }
                }
              });
          return new ApiResult(outcome.response(), directives);
        });
  }

  /** A directory is configured: communities may follow its groups, of at most {@code max}. */
  public void useDirectory(final int maxGroupMembers) {
    api.groups().useDirectory(maxGroupMembers);
  }

  /** The communities that follow a directory group, for the poller to read. */
  public List<GroupRefresh.Grouped> grouped() {
    return locks.routing(
        () -> {
          final List<GroupRefresh.Grouped> out = new ArrayList<>();
          for (final Community c : registry.communities().values()) {
            if (!c.group().isEmpty()) {
              out.add(new GroupRefresh.Grouped(c.name(), c.group()));
            }
          }
          return out;
        });
  }

  /**
   * Applies one read of {@code group} to the community {@code community} as an API change would be:
   * written before it returns, undone if it cannot be (see {@link GroupOps#refresh}).
   */
  public GroupRefresh.Result refreshGroup(
      final String community, final String group, final GroupRefresh read) {
    final java.util.concurrent.atomic.AtomicReference<GroupOps.Refreshed> refreshed =
        new java.util.concurrent.atomic.AtomicReference<>();
    final ApiResult result =
        commit(
            () -> {
              refreshed.set(api.groups().refresh(community, group, read));
              return refreshed.get().outcome();
            },
            () -> SavedState.Scope.community(community),
            "the directory, group refresh of " + community);
    if (result.response().getStatus() == Status.INTERNAL_ERROR.code()) {
      return new GroupRefresh.Result(
          GroupRefresh.Outcome.FAILED, "the gateway could not save the group's members", List.of());
    }
    return new GroupRefresh.Result(
        refreshed.get().kind(), refreshed.get().status(), result.directives());
  }

  /** The answer to {@code ShowTable} or {@code ExplainDecisions}: see {@link ObservationOps}. */
  private GatewayResponse observe(final Principal who, final GatewayRequest request) {
    return locks.routing(
        () -> {
          return request.hasShowTable()
              ? observation.table(who, request.getShowTable(), clock.millis())
              : observation.decisions(
                  who,
                  request.getExplainDecisions().getAddress(),
                  requests.lastDecisions(request.getExplainDecisions().getAddress()));
        });
  }

  /**
   * Registrations in {@code scope} may have changed (servers, roles, enabled flags, rules): the
   * rankings of its communities' services are built again at their next use.
   */
  private void registrationsChanged(final SavedState.Scope scope) {
    for (final Community c : registry.communities().values()) {
      if (scope.all() || scope.communities().contains(c.name())) {
        c.registrationsChanged();
      }
    }
  }

  /** What an operation did, and what of the registry it wrote: read under the routing lock. */
  private record Handled(ApiOutcome outcome, SavedState.Scope scope) {}
}
