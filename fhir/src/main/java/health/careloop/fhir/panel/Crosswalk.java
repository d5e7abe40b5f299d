package health.careloop.fhir.panel;

import health.careloop.fhir.panel.PanelItem.Key;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Which CareLoop record each imported source record became (fhir.import_crosswalk), and what changed (fhir.import_event).
 * The importer's idempotency: a source record is found by its identity, and its content hash tells unchanged from changed.
 * Both work on the caller's connection, so a chunk of an import reads and writes them in one transaction with its records.
 */
final class Crosswalk {
    record Entry(String targetId, UUID patientId, String contentHash) {
    }

    /** What a source record became, and the change to record with it ({@code action} created or updated). */
    record Written(Key key, Entry entry, String action, String detail) {
    }

    private Crosswalk() {
    }

    /** The entries of these source records, in one query; records never imported are absent. */
    static Map<Key, Entry> findAll(Connection c, UUID practiceId, Collection<Key> keys) throws SQLException {
        Map<Key, Entry> result = new HashMap<>();
        if (keys.isEmpty()) {
            return result;
        }
        List<String> types = new ArrayList<>();
        List<String> systems = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Key k : keys) {
            types.add(k.type());
            systems.add(k.system());
            values.add(k.value());
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT x.resource_type, x.source_system, x.source_value, x.target_id, x.patient_id, x.content_hash "
                        + "FROM unnest(?::text[], ?::text[], ?::text[]) AS k (resource_type, source_system, source_value) "
                        + "JOIN fhir.import_crosswalk x ON x.practice_id = ? AND x.resource_type = k.resource_type "
                        + "AND x.source_system = k.source_system AND x.source_value = k.source_value")) {
            ps.setArray(1, c.createArrayOf("text", types.toArray()));
            ps.setArray(2, c.createArrayOf("text", systems.toArray()));
            ps.setArray(3, c.createArrayOf("text", values.toArray()));
            ps.setObject(4, practiceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(new Key(rs.getString(1), rs.getString(2), rs.getString(3)),
                            new Entry(rs.getString(4), rs.getObject(5, UUID.class), rs.getString(6)));
                }
            }
        }
        return result;
    }

    /** Records (or moves on) what each source record became, and each change with its author, in two batches. */
    static void recordAll(Connection c, UUID practiceId, String actor, List<Written> written) throws SQLException {
        if (written.isEmpty()) {
            return;
        }
        try (PreparedStatement upsert = c.prepareStatement(
                "INSERT INTO fhir.import_crosswalk (practice_id, resource_type, source_system, source_value, patient_id, target_id, content_hash) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (practice_id, resource_type, source_system, source_value) "
                        + "DO UPDATE SET target_id = EXCLUDED.target_id, patient_id = EXCLUDED.patient_id, content_hash = EXCLUDED.content_hash, "
                        + "last_imported = now()");
             PreparedStatement event = c.prepareStatement(
                     "INSERT INTO fhir.import_event (practice_id, actor, resource_type, source_system, source_value, action, target_id, patient_id, detail) "
                             + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Written w : written) {
                upsert.setObject(1, practiceId);
                upsert.setString(2, w.key().type());
                upsert.setString(3, w.key().system());
                upsert.setString(4, w.key().value());
                upsert.setObject(5, w.entry().patientId());
                upsert.setString(6, w.entry().targetId());
                upsert.setString(7, w.entry().contentHash());
                upsert.addBatch();
                event.setObject(1, practiceId);
                event.setString(2, actor);
                event.setString(3, w.key().type());
                event.setString(4, w.key().system());
                event.setString(5, w.key().value());
                event.setString(6, w.action());
                event.setString(7, w.entry().targetId());
                event.setObject(8, w.entry().patientId());
                event.setString(9, w.detail());
                event.addBatch();
            }
            upsert.executeBatch();
            event.executeBatch();
        }
    }

    /** One import per practice at a time: identities are checked, then written. Held on its own connection. */
    static AutoCloseable lockPractice(DataSource dataSource, UUID practiceId) throws SQLException {
        Connection c = dataSource.getConnection();
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(hashtext('careloop.fhir.import'), hashtext(?))")) {
            ps.setString(1, practiceId.toString());
            ps.execute();
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(hashtext('careloop.fhir.import'), hashtext(?))")) {
                ps.setString(1, practiceId.toString());
                ps.execute();
            } finally {
                c.close();
            }
        };
    }
}
