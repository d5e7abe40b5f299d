package health.careloop.common.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * Answers, for the audit trail, whose record an id in a request names: its practice and, where the record is about
 * one, its patient. Each tier gives one per path parameter of its routes (the owner of a table answers questions about
 * it). Used for refused calls, whose handlers never learnt the practice (row-level security hid the record), and for
 * the API token, which spans practices.
 */
@FunctionalInterface
public interface RecordOwner {
    /** @param patientId null when the record is not about one patient (a device, a practice) */
    record Target(UUID practiceId, UUID patientId) {
    }

    Optional<Target> find(Connection c, String id) throws SQLException;

    /**
     * A record keyed by a uuid; {@code sql} selects the practice id and the patient id (or NULL) with the id as its only
     * parameter. An id that is not a uuid names no record.
     */
    static RecordOwner byUuid(String sql) {
        return (c, id) -> {
            UUID key;
            try {
                key = UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            return query(c, sql, key);
        };
    }

    /** A record keyed by text (a device id); {@code sql} as for {@link #byUuid}. */
    static RecordOwner byText(String sql) {
        return (c, id) -> id.length() > 200 ? Optional.empty() : query(c, sql, id);
    }

    private static Optional<Target> query(Connection c, String sql, Object key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Target(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class))) : Optional.empty();
            }
        }
    }
}
