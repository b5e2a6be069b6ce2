package io.troupe.router.internal.registry;

import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayState;
import io.troupe.router.StateChange;
import io.troupe.router.StateStore;
import io.troupe.router.internal.locks.RouterLocks;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the registry's changes to the store, row by row, outside the routing lock, and puts the
 * registry back as it was last written when a write fails. Not thread-safe: the router calls it
 * holding its change lock, so writes come one at a time in the order of the changes; it takes the
 * routing lock only to read or restore the registry.
 */
public final class StateWriter {

  private static final Logger log = LoggerFactory.getLogger(StateWriter.class);

  private final Registry registry;
  private final StateStore store;

  /** The router's locks, taken in their order. */
  private final RouterLocks locks;

  private final SavedState saved;

  public StateWriter(final Registry registry, final StateStore store, final RouterLocks locks) {
    this.registry = registry;
    this.store = store;
    this.locks = locks;
    this.saved =
        locks.routing(
            () -> {
              return SavedState.of(registry.toState());
            });
  }

  /** The primary of a service as last written. */
  public Optional<String> primaryOf(final String community, final String service) {
    return saved.primaryOf(community, service);
  }

  /**
   * Writes what changed since the last write, looking only within {@code scope}. Called holding the
   * router's change lock, never its routing lock: routing goes on while the store writes. Every
   * change holds the change lock, so the registry cannot change under this read. When the write
   * fails, the registry goes back to what was last written.
   *
   * @return whether the change is durable
   */
  public boolean persist(final SavedState.Scope scope) {
    final StateChange change =
        locks.routing(
            () -> {
              registry.nextRevision();
              return saved.changeTo(registry, scope);
            });
    if (change.isEmpty()) {
      return true;
    }
    try {
      store.write(change);
      saved.apply(change);
      return true;
    } catch (final StateStore.StateStoreException e) {
      log.error("could not save the gateway state; the change is undone", e);
      locks.routing(
          () -> {
            restore(saved.toState());
          });
      return false;
    }
  }

  /** Which communities {@code request} may have changed: the one it names, or all. */
  public static SavedState.Scope scopeOf(final GatewayRequest request, final Registry registry) {
    return switch (request.getOperationCase()) {
      case CREATE_COMMUNITY -> SavedState.Scope.community(request.getCreateCommunity().getName());
      case JOIN_COMMUNITY -> SavedState.Scope.community(request.getJoinCommunity().getCommunity());
      case LEAVE_COMMUNITY ->
          SavedState.Scope.community(request.getLeaveCommunity().getCommunity());
      case UPDATE_COMMUNITY ->
          SavedState.Scope.community(request.getUpdateCommunity().getCommunity());
      case DELETE_COMMUNITY ->
          SavedState.Scope.community(request.getDeleteCommunity().getCommunity());
      case REGISTER_SERVICE ->
          SavedState.Scope.community(request.getRegisterService().getCommunity());
      case DEREGISTER_SERVICE ->
          SavedState.Scope.community(request.getDeregisterService().getCommunity());
      case DELETE_SERVICE -> SavedState.Scope.community(request.getDeleteService().getCommunity());
      case SET_COMMUNITY_GROUP ->
          SavedState.Scope.community(request.getSetCommunityGroup().getCommunity());
      case ASSIGN_ROLES -> SavedState.Scope.community(request.getAssignRoles().getCommunity());
      case START_SERVICE -> SavedState.Scope.community(request.getStartService().getCommunity());
      case SET_SERVICE_ENABLED -> {
        final Service s = registry.serviceAt(request.getSetServiceEnabled().getAddress());
        yield s == null ? SavedState.Scope.ALL : SavedState.Scope.community(s.community().name());
      }
      case SET_DISTRIBUTION_RULE -> {
        final Service s = registry.serviceAt(request.getSetDistributionRule().getAddress());
        yield s == null ? SavedState.Scope.ALL : SavedState.Scope.community(s.community().name());
      }
      case ADD_IDENTITY, RESET_IDENTITY -> SavedState.Scope.NO_COMMUNITY;
      default -> SavedState.Scope.ALL;
    };
  }

  private void restore(final GatewayState state) {
    registry.restore(Registry.fromState(state));
  }
}
