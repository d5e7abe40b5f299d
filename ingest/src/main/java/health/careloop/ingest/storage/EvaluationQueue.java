package health.careloop.ingest.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The clinical tier's view of ingest.evaluation_batch (V9): newly committed readings waiting to be evaluated, one row
 * per ingest batch. The evaluator locks rows and deletes them in its own transaction, together with the alerts their
 * readings caused, so a crash before its commit leaves them queued and a replay after it finds nothing. SKIP LOCKED
 * lets several evaluators share the queue; readings an evaluator leaves (their patient held elsewhere) go back in a new
 * row in the same transaction ({@link #finish}).
 */
public final class EvaluationQueue {
    /** One waiting reading; {@code batchId} is the row that holds it. */
    public record Entry(long batchId, UUID practiceId, UUID patientId, String deviceId, String type, Instant measuredAt) {
    }

    /** Rows locked by the caller's open transaction, and the readings they hold in queue order. */
    public record Locked(List<Long> batchIds, List<Entry> entries) {
    }

    private EvaluationQueue() {
    }

    /**
     * Locks the oldest rows holding up to {@code maxReadings} readings, always at least one whole row (a drained
     * backlog's batch of thousands is evaluated in one go rather than split and rewritten). Rows another evaluator holds
     * are skipped, so several evaluators share a backlog ({@code ingest.lock_evaluation_batches}, V9).
     */
    public static Locked lock(Connection c, int maxReadings) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, practice_ids, patient_ids, device_ids, types, measured_ats FROM ingest.evaluation_batch
                WHERE id IN (SELECT ingest.lock_evaluation_batches(?))
                ORDER BY id""")) {
            ps.setInt(1, Math.max(1, maxReadings));
            try (ResultSet rs = ps.executeQuery()) {
                List<Long> ids = new ArrayList<>();
                List<Entry> entries = new ArrayList<>();
                while (rs.next()) {
                    long id = rs.getLong(1);
                    ids.add(id);
                    UUID[] practices = (UUID[]) rs.getArray(2).getArray();
                    UUID[] patients = (UUID[]) rs.getArray(3).getArray();
                    String[] devices = (String[]) rs.getArray(4).getArray();
                    String[] types = (String[]) rs.getArray(5).getArray();
                    Timestamp[] measured = (Timestamp[]) rs.getArray(6).getArray();
                    for (int i = 0; i < devices.length; i++) {
                        entries.add(new Entry(id, practices[i], patients[i], devices[i], types[i], measured[i].toInstant()));
                    }
                }
                return new Locked(ids, entries);
            }
        }
    }

    /**
     * Deletes the locked rows and queues {@code left} (readings not evaluated this time) again in one new row; takes
     * effect when the caller's transaction commits, together with what the evaluated readings caused.
     */
    public static void finish(Connection c, Locked locked, List<Entry> left) throws SQLException {
        if (!locked.batchIds().isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ingest.evaluation_batch WHERE id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("bigint", locked.batchIds().toArray()));
                ps.executeUpdate();
            }
        }
        enqueue(c, left);
    }

    /** Queues readings for evaluation as one row, in the caller's transaction (readings entered by staff, a requeue). */
    public static void enqueue(Connection c, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        int n = entries.size();
        Object[] practices = new Object[n];
        Object[] patients = new Object[n];
        Object[] devices = new Object[n];
        Object[] types = new Object[n];
        Object[] measured = new Object[n];
        for (int i = 0; i < n; i++) {
            Entry e = entries.get(i);
            practices[i] = e.practiceId();
            patients[i] = e.patientId();
            devices[i] = e.deviceId();
            types[i] = e.type();
            measured[i] = Timestamp.from(e.measuredAt());
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO ingest.evaluation_batch (size, practice_ids, patient_ids, device_ids, types, measured_ats)
                VALUES (?, ?, ?, ?, ?, ?)""")) {
            ps.setInt(1, n);
            ps.setArray(2, c.createArrayOf("uuid", practices));
            ps.setArray(3, c.createArrayOf("uuid", patients));
            ps.setArray(4, c.createArrayOf("text", devices));
            ps.setArray(5, c.createArrayOf("text", types));
            ps.setArray(6, c.createArrayOf("timestamptz", measured));
            ps.executeUpdate();
        }
    }

    /** Readings waiting; a growing number means the evaluator is down or behind. */
    public static long backlog(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(size), 0) FROM ingest.evaluation_batch");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
