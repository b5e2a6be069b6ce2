package io.troupe.extension.store;

import com.google.protobuf.MessageLite;
import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.ClientBinding;
import io.troupe.proto.v1.CommunityRecord;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.proto.v1.KeyRecord;
import io.troupe.proto.v1.ServiceRecord;
import io.troupe.proto.v1.UsageRecord;
import io.troupe.router.StateChange;
import io.troupe.router.StateChange.PolicyKey;
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
    delete("DELETE FROM auth_keys WHERE key_id = ?", change.removedKeys());
    deletePolicies(change.removedPolicies());

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
    try (PreparedStatement put =
        connection.prepareStatement(
            "INSERT INTO auth_keys (key_id, record) VALUES (?, ?)"
                + " ON CONFLICT (key_id) DO UPDATE SET record = excluded.record")) {
      for (final KeyRecord key : change.keys()) {
        add(put, key, key.getKeyId());
      }
      put.executeBatch();
    }
    putPolicies(change.policies());
  }

  private void putPolicies(final List<AccessPolicy> policies) throws SQLException {
    try (PreparedStatement put =
        connection.prepareStatement(
            "INSERT INTO access_policies (scope, target, record) VALUES (?, ?, ?)"
                + " ON CONFLICT (scope, target) DO UPDATE SET record = excluded.record")) {
      for (final AccessPolicy policy : policies) {
        put.setInt(1, policy.getScopeValue());
        put.setString(2, policy.getTarget());
        put.setBytes(3, policy.toByteArray());
        put.addBatch();
      }
      put.executeBatch();
    }
  }

  private void deletePolicies(final Collection<PolicyKey> keys) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM access_policies WHERE scope = ? AND target = ?")) {
      for (final PolicyKey key : keys) {
        delete.setInt(1, key.scope().getNumber());
        delete.setString(2, key.target());
        delete.addBatch();
      }
      delete.executeBatch();
    }
  }

  /** Replaces each record's saved usage; a record without buckets removes it. */
  void saveUsage(final Collection<UsageRecord> records) throws SQLException {
    try (PreparedStatement put =
            connection.prepareStatement(
                "INSERT INTO policy_usage (identity, scope, target, record) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (identity, scope, target) DO UPDATE"
                    + " SET record = excluded.record");
        PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM policy_usage WHERE identity = ? AND scope = ? AND target = ?")) {
      for (final UsageRecord record : records) {
        final boolean empty = record.getReceivedCount() == 0 && record.getSentCount() == 0;
        final PreparedStatement statement = empty ? delete : put;
        statement.setString(1, record.getIdentity());
        statement.setInt(2, record.getScopeValue());
        statement.setString(3, record.getTarget());
        if (!empty) {
          statement.setBytes(4, record.toByteArray());
        }
        statement.addBatch();
      }
      put.executeBatch();
      delete.executeBatch();
    }
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
