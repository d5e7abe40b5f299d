package health.careloop.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Compressing ingest.reading's chunks: either the way production does it, by running the compression policy that
 * StorageMaintenance created (the WASM build has no background workers, so {@code CALL run_job}), or every chunk left,
 * one {@code compress_chunk} per statement.
 *
 * @param horizon  the policy's compress_after, as TimescaleDB holds it
 * @param chunks   chunks this run compressed
 * @param of       chunks of the hypertable
 * @param seconds  wall time of the compression
 */
record CompressionRun(String horizon, int chunks, int of, double seconds) {

    static CompressionRun policy(Connection c) throws SQLException {
        int before = compressedChunks(c);
        long jobId;
        String horizon;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT job_id, config ->> 'compress_after' FROM timescaledb_information.jobs
                WHERE proc_name = 'policy_compression' AND hypertable_schema = 'ingest' AND hypertable_name = 'reading'""")) {
            if (!rs.next()) {
                throw new IllegalStateException("No compression policy on ingest.reading: StorageMaintenance did not create it");
            }
            jobId = rs.getLong(1);
            horizon = rs.getString(2);
        }
        long t0 = System.nanoTime();
        try (PreparedStatement ps = c.prepareStatement("CALL run_job(?)")) {
            ps.setInt(1, (int) jobId);
            ps.execute();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new CompressionRun(horizon, compressedChunks(c) - before, allChunks(c), seconds);
    }

    /**
     * Every chunk not compressed yet, each in its own statement and so its own transaction (the WASM build is safest
     * with one chunk per transaction, tools/timescale-wasm/README.md).
     */
    static CompressionRun remaining(Connection c) throws SQLException {
        List<String> chunks = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT format('%I.%I', chunk_schema, chunk_name) FROM timescaledb_information.chunks
                WHERE hypertable_schema = 'ingest' AND hypertable_name = 'reading' AND NOT is_compressed ORDER BY range_start""")) {
            while (rs.next()) {
                chunks.add(rs.getString(1));
            }
        }
        long t0 = System.nanoTime();
        try (PreparedStatement ps = c.prepareStatement("SELECT compress_chunk(?::regclass)")) {
            for (String chunk : chunks) {
                ps.setString(1, chunk);
                ps.execute();
            }
        }
        return new CompressionRun("", chunks.size(), allChunks(c), (System.nanoTime() - t0) / 1e9);
    }

    String describeChunks() {
        return String.format("%d of %d chunks, %.1f s", chunks, of, seconds);
    }

    private static int compressedChunks(Connection c) throws SQLException {
        return count(c, "SELECT count(*) FROM timescaledb_information.chunks WHERE hypertable_schema = 'ingest' AND hypertable_name = 'reading' AND is_compressed");
    }

    private static int allChunks(Connection c) throws SQLException {
        return count(c, "SELECT count(*) FROM timescaledb_information.chunks WHERE hypertable_schema = 'ingest' AND hypertable_name = 'reading'");
    }

    private static int count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
