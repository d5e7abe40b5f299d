package health.careloop.clinical.evaluation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Two evaluators (threads or processes) never evaluate the same patient at once: each holds a transaction-scoped
 * PostgreSQL advisory lock on the patient (released by its COMMIT or ROLLBACK, so a crash cannot leave it held).
 * The queue rows themselves are taken with FOR UPDATE SKIP LOCKED (EvaluationQueue.lock), which spreads the work;
 * the advisory lock covers what row locks cannot: two evaluators holding different readings of one patient.
 * Two patients whose ids hash alike merely take turns.
 */
final class PatientLock {
    /** The advisory-lock key space of the clinical evaluator ('CLev'). */
    private static final int NAMESPACE = 0x434c6576;

    private PatientLock() {
    }

    /**
     * Tries the patients' locks in one statement: returns those now held by the caller's transaction; the
     * others are being evaluated elsewhere and the caller leaves their readings queued. Same keys as lock.
     */
    static Set<UUID> tryLockAll(Connection c, Collection<UUID> patientIds) throws SQLException {
        Set<UUID> held = new HashSet<>();
        if (patientIds.isEmpty()) {
            return held;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT p, pg_try_advisory_xact_lock(?, hashtext(p::text)) FROM unnest(?::uuid[]) AS p")) {
            ps.setInt(1, NAMESPACE);
            ps.setArray(2, c.createArrayOf("uuid", patientIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(2)) {
                        held.add(rs.getObject(1, UUID.class));
                    }
                }
            }
        }
        return held;
    }

    /** Waits for the patient (scheduled checks, which are not in a hurry). */
    static void lock(Connection c, UUID patientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
            ps.setInt(1, NAMESPACE);
            ps.setString(2, patientId.toString());
            ps.execute();
        }
    }
}
