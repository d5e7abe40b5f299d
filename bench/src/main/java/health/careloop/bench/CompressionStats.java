package health.careloop.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * TimescaleDB's own account of its compressed chunks ({@code chunk_compression_stats}): bytes of those chunks as they
 * were before compression and as they are after, table and indexes apart, and the readings they hold. A cross-check of
 * the sizes measured from outside, before and after.
 */
record CompressionStats(int chunks, long readings, long beforeTable, long beforeIndexes, long afterTable, long afterIndexes) {

    static CompressionStats of(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT count(*),
                       (SELECT count(*) FROM ingest.reading r WHERE r.measured_at < (
                            SELECT max(range_end) FROM timescaledb_information.chunks
                            WHERE hypertable_schema = 'ingest' AND hypertable_name = 'reading' AND is_compressed)),
                       sum(before_compression_table_bytes + before_compression_toast_bytes), sum(before_compression_index_bytes),
                       sum(after_compression_table_bytes + after_compression_toast_bytes), sum(after_compression_index_bytes)
                FROM chunk_compression_stats('ingest.reading') WHERE compression_status = 'Compressed'""")) {
            rs.next();
            return new CompressionStats(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6));
        }
    }

    String describe() {
        double before = (double) (beforeTable + beforeIndexes) / readings;
        double after = (double) (afterTable + afterIndexes) / readings;
        return String.format("%d chunks, %,d readings: %.1f MB before (table %.1f, indexes %.1f), %.1f MB after (table %.1f, indexes %.1f); "
                        + "%.0f → %.0f bytes per reading, **%.1f×** smaller",
                chunks, readings, (beforeTable + beforeIndexes) / 1e6, beforeTable / 1e6, beforeIndexes / 1e6, (afterTable + afterIndexes) / 1e6,
                afterTable / 1e6, afterIndexes / 1e6, before, after, before / after);
    }
}
