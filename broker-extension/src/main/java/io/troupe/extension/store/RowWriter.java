package io.troupe.extension.store;

import com.google.protobuf.MessageLite;
import io.troupe.proto.v1.ClientBinding;
import io.troupe.proto.v1.CommunityRecord;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.ServiceRecord;
import io.troupe.router.StateChange;
import io.troupe.router.StateChange.ServiceKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;

/**
 * Turns one {@link StateChange} into row statements on a connection inside the caller's
 * transaction. Puts are upserts ({@code INSERT … ON CONFLICT … DO UPDATE}, which SQLite 3.24+ and
 * PostgreSQL 9.5+ both speak). Order keeps the services' foreign key satisfied: services go before
 * their community on removal and after it on put.
 */
final class RowWriter {

  private final Connection connection;

  RowWriter(final Connection connection) {
    this.connection = connection;
  }

  void write(final StateChange change) throws SQLException {
    delete("DELETE FROM client_ids WHERE client_id = ?", change.removedClientIds());
    deleteServices(change.removedServices());
    delete("DELETE FROM communities WHERE name = ?", change.removedCommunities());
    delete("DELETE FROM identities WHERE name = ?", change.removedIdentities());

    try (PreparedStatement put =
        connection.prepareStatement(
            "INSERT INTO identities (name, record) VALUES (?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET record = excluded.record")) {
      for (final IdentityRecord identity : change.identities()) {
        add(put, identity, identity.getName());
      }
      put.executeBatch();
    }
    try (PreparedStatement put =
        connection.prepareStatement(
            "INSERT INTO communities (name, record) VALUES (?, ?)"
                + " ON CONFLICT (name) DO UPDATE SET record = excluded.record")) {
      for (final CommunityRecord community : change.communities()) {
        add(put, community.toBuilder().clearServices().build(), community.getName());
      }
      put.executeBatch();
    }
    putServices(change.services());
    putClientIds(change.clientIds());
  }

  private void putServices(final List<ServiceRecord> services) throws SQLException {
    try (PreparedStatement put =
        connection.prepareStatement(
            "INSERT INTO services (community, name, record) VALUES (?, ?, ?)"
                + " ON CONFLICT (community, name) DO UPDATE SET record = excluded.record")) {
      for (final ServiceRecord service : services) {
        put.setString(1, service.getCommunity());
        put.setString(2, service.getName());
        put.setBytes(3, service.toByteArray());
        put.addBatch();
      }
      put.executeBatch();
    }
  }

  private void putClientIds(final List<ClientBinding> bindings) throws SQLException {
    try (PreparedStatement put =
        connection.prepareStatement(
            "INSERT INTO client_ids (client_id, identity, record) VALUES (?, ?, ?)"
                + " ON CONFLICT (client_id) DO UPDATE"
                + " SET identity = excluded.identity, record = excluded.record")) {
      for (final ClientBinding binding : bindings) {
        put.setString(1, binding.getClientId());
        put.setString(2, binding.getIdentity());
        put.setBytes(3, binding.toByteArray());
        put.addBatch();
      }
      put.executeBatch();
    }
  }

  private void deleteServices(final Collection<ServiceKey> keys) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM services WHERE community = ? AND name = ?")) {
      for (final ServiceKey key : keys) {
        delete.setString(1, key.community());
        delete.setString(2, key.service());
        delete.addBatch();
      }
      delete.executeBatch();
    }
  }

  private void delete(final String sql, final Collection<String> keys) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(sql)) {
      for (final String key : keys) {
        delete.setString(1, key);
        delete.addBatch();
      }
      delete.executeBatch();
    }
  }

  private static void add(final PreparedStatement put, final MessageLite record, final String key)
      throws SQLException {
    put.setString(1, key);
    put.setBytes(2, record.toByteArray());
    put.addBatch();
  }
}
