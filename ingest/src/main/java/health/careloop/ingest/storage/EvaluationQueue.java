package health.careloop.ingest.storage;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The clinical tier's view of ingest.evaluation_queue: newly committed readings waiting to be evaluated. The evaluator
 * locks entries and removes them in its own transaction, together with the alerts they caused, so a crash before its
 * commit leaves them queued and a replay after it finds nothing. SKIP LOCKED lets several evaluators share the queue.
 */
public final class EvaluationQueue {
    public record Entry(long id, UUID practiceId, UUID patientId, String deviceId, String type, Instant measuredAt) {
    }

    private EvaluationQueue() {
    }

    /** Up to {@code max} oldest entries, locked by the caller's open transaction. */
    public static List<Entry> lock(Connection c, int max) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, practice_id, patient_id, device_id, type, measured_at FROM ingest.evaluation_queue
                ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED""")) {
            ps.setInt(1, max);
            try (ResultSet rs = ps.executeQuery()) {
                List<Entry> entries = new ArrayList<>();
                while (rs.next()) {
                    entries.add(new Entry(rs.getLong(1), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6).toInstant()));
                }
                return entries;
            }
        }
    }

    /** Removes evaluated entries; takes effect when the caller's transaction commits. */
    public static void remove(Connection c, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        Long[] ids = entries.stream().map(Entry::id).toArray(Long[]::new);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ingest.evaluation_queue WHERE id = ANY (?)")) {
            Array array = c.createArrayOf("bigint", ids);
            ps.setArray(1, array);
            ps.executeUpdate();
        }
    }

    /** Readings waiting; a growing number means the evaluator is down or behind. */
    public static long backlog(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM ingest.evaluation_queue"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
