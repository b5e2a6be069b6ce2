package io.troupe.extension.store;

import com.google.protobuf.InvalidProtocolBufferException;
import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.ClientBinding;
import io.troupe.proto.v1.CommunityRecord;
import io.troupe.proto.v1.GatewayState;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.KeyRecord;
import io.troupe.proto.v1.ServiceRecord;
import io.troupe.proto.v1.UsageRecord;
import io.troupe.router.StateChange;
import io.troupe.router.StateStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state in a SQL database, one table per kind of row (see {@code db/migration}). A write
 * touches only the rows its change names, in one transaction: committed when {@link #write}
 * returns, rolled back when it throws. Loading orders rows by their keys.
 *
 * <p>One connection, used by one caller at a time. A connection that failed is dropped and the next
 * call opens another, so a restarted database server costs one failed write, not the store.
 */
public final class SqlStateStore implements StateStore {

  private static final Logger log = LoggerFactory.getLogger(SqlStateStore.class);

  private final Database database;
  private Connection connection;
  private boolean closed;

  private SqlStateStore(final Database database) {
    this.database = database;
  }

  /**
   * Opens the store, first bringing the schema up to date.
   *
   * @param classLoader the loader that sees the migrations and the driver (the extension's own)
   * @throws StateStoreException when the database cannot be reached or migrated
   */
  public static @NotNull SqlStateStore open(
      final @NotNull Database database, final @NotNull ClassLoader classLoader) {
    try {
      database.migrate(classLoader);
    } catch (final RuntimeException e) {
      throw new StateStoreException(
          "cannot migrate the state database [" + database + "]: " + e.getMessage(), e);
    }
    final SqlStateStore store = new SqlStateStore(database);
    synchronized (store) {
      store.connection();
    }
    log.info("opened the state store [database: {}]", database);
    return store;
  }

  @Override
  public synchronized Optional<GatewayState> load() {
    try {
      final Connection c = connection();
      c.setAutoCommit(false);
      try {
        final GatewayState state = read(c);
        c.commit();
        final boolean empty =
            state.getIdentitiesCount() == 0
                && state.getCommunitiesCount() == 0
                && state.getClientIdsCount() == 0
                && state.getKeysCount() == 0
                && state.getPoliciesCount() == 0;
        return empty ? Optional.empty() : Optional.of(state);
      } finally {
        rollbackQuietly(c);
      }
    } catch (final SQLException | InvalidProtocolBufferException e) {
      dropConnection();
      throw new StateStoreException(
          "cannot load the gateway state [database: " + database + "]: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void write(final StateChange change) {
    if (change.isEmpty()) {
      return;
    }
    inTransaction(c -> new RowWriter(c).write(change), "cannot write a state change");
  }

  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
   */
  private void inTransaction(final Work work, final String failure) {
    try {
      final Connection c = connection();
      c.setAutoCommit(false);
      try {
        work.run(c);
        c.commit();
      } finally {
        rollbackQuietly(c);
      }
    } catch (final SQLException e) {
      dropConnection();
      throw new StateStoreException(
          failure + " [database: " + database + "]: " + e.getMessage(), e);
    }
  }

  /** Statements on a connection inside a transaction. */
  private interface Work {
    void run(Connection c) throws SQLException;
  }

  @Override
  public synchronized List<UsageRecord> loadUsage() {
    try {
      final List<UsageRecord> usage = new ArrayList<>();
      for (final byte[] row :
          records(
              connection(), "SELECT record FROM policy_usage ORDER BY identity, scope, target")) {
        usage.add(UsageRecord.parseFrom(row));
      }
      return usage;
    } catch (final SQLException | InvalidProtocolBufferException e) {
      dropConnection();
      throw new StateStoreException(
          "cannot load the usage counters [database: " + database + "]: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void saveUsage(final Collection<UsageRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    inTransaction(c -> new RowWriter(c).saveUsage(records), "cannot save the usage counters");
  }

  @Override
  public synchronized void close() {
    closed = true;
    dropConnection();
  }

  private static GatewayState read(final Connection c)
      throws SQLException, InvalidProtocolBufferException {
    final GatewayState.Builder state = GatewayState.newBuilder();
    for (final byte[] row : records(c, "SELECT record FROM identities ORDER BY name")) {
      state.addIdentities(IdentityRecord.parseFrom(row));
    }
    final Map<String, CommunityRecord.Builder> communities = new LinkedHashMap<>();
    for (final byte[] row : records(c, "SELECT record FROM communities ORDER BY name")) {
      final CommunityRecord.Builder community = CommunityRecord.parseFrom(row).toBuilder();
      communities.put(community.getName(), community);
    }
    for (final byte[] row : records(c, "SELECT record FROM services ORDER BY community, name")) {
      final ServiceRecord service = ServiceRecord.parseFrom(row);
      final CommunityRecord.Builder community = communities.get(service.getCommunity());
      if (community == null) {
        throw new SQLException("service row without its community: " + service.getCommunity());
      }
      community.addServices(service);
    }
    communities.values().forEach(state::addCommunities);
    for (final byte[] row : records(c, "SELECT record FROM client_ids ORDER BY client_id")) {
      state.addClientIds(ClientBinding.parseFrom(row));
    }
    for (final byte[] row : records(c, "SELECT record FROM auth_keys ORDER BY key_id")) {
      state.addKeys(KeyRecord.parseFrom(row));
    }
    for (final byte[] row :
        records(c, "SELECT record FROM access_policies ORDER BY scope, target")) {
      state.addPolicies(AccessPolicy.parseFrom(row));
    }
    return state.build();
  }

  private static java.util.List<byte[]> records(final Connection c, final String query)
      throws SQLException {
    final java.util.List<byte[]> rows = new java.util.ArrayList<>();
    try (PreparedStatement statement = c.prepareStatement(query);
        ResultSet result = statement.executeQuery()) {
      while (result.next()) {
        rows.add(result.getBytes(1));
      }
    }
    return rows;
  }

  private Connection connection() {
    if (closed) {
      throw new StateStoreException("the state store is closed [database: " + database + "]", null);
    }
    try {
      if (connection == null || connection.isClosed()) {
        connection = database.connect();
      }
      return connection;
    } catch (final SQLException e) {
      throw new StateStoreException(
          "cannot connect to the state database [" + database + "]: " + e.getMessage(), e);
    }
  }

  private static void rollbackQuietly(final Connection c) {
    try {
      if (!c.isClosed() && !c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (final SQLException e) {
      log.debug("rollback failed [reason: {}]", e.getMessage());
    }
  }

  private void dropConnection() {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (final SQLException e) {
      log.debug("closing the state database connection failed [reason: {}]", e.getMessage());
    }
    connection = null;
  }
}
