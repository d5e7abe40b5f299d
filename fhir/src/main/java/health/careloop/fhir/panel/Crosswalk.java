package health.careloop.fhir.panel;

import health.careloop.fhir.panel.PanelItem.Key;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * Which CareLoop record each imported source record became (fhir.import_crosswalk), and what changed (fhir.import_event).
 * The importer's idempotency: a source record is found by its identity, and its content hash tells unchanged from changed.
 */
final class Crosswalk {
    record Entry(String targetId, UUID patientId, String contentHash) {
    }

    private final DataSource dataSource;

    Crosswalk(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    Optional<Entry> find(UUID practiceId, Key key) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT target_id, patient_id, content_hash FROM fhir.import_crosswalk "
                        + "WHERE practice_id = ? AND resource_type = ? AND source_system = ? AND source_value = ?")) {
            ps.setObject(1, practiceId);
            ps.setString(2, key.type());
            ps.setString(3, key.system());
            ps.setString(4, key.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Entry(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3))) : Optional.empty();
            }
        }
    }

    /** Records (or moves on) what a source record became, and the change with its author. */
    void record(UUID practiceId, Key key, Entry entry, String action, String actor, String detail) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement upsert = c.prepareStatement(
                    "INSERT INTO fhir.import_crosswalk (practice_id, resource_type, source_system, source_value, patient_id, target_id, content_hash) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (practice_id, resource_type, source_system, source_value) "
                            + "DO UPDATE SET target_id = EXCLUDED.target_id, patient_id = EXCLUDED.patient_id, content_hash = EXCLUDED.content_hash, "
                            + "last_imported = now()");
                 PreparedStatement event = c.prepareStatement(
                         "INSERT INTO fhir.import_event (practice_id, actor, resource_type, source_system, source_value, action, target_id, patient_id, detail) "
                                 + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                upsert.setObject(1, practiceId);
                upsert.setString(2, key.type());
                upsert.setString(3, key.system());
                upsert.setString(4, key.value());
                upsert.setObject(5, entry.patientId());
                upsert.setString(6, entry.targetId());
                upsert.setString(7, entry.contentHash());
                upsert.executeUpdate();
                if (action != null) {
                    event.setObject(1, practiceId);
                    event.setString(2, actor);
                    event.setString(3, key.type());
                    event.setString(4, key.system());
                    event.setString(5, key.value());
                    event.setString(6, action);
                    event.setString(7, entry.targetId());
                    event.setObject(8, entry.patientId());
                    event.setString(9, detail);
                    event.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
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
