package health.careloop.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What ingest.reading takes on disk: table (heap with its TOAST) and indexes, in bytes, and the readings in it. Each
 * storage mode asks its own server's size functions: TimescaleDB's {@code hypertable_detailed_size} (chunks, compressed
 * ones included), PostgreSQL's relation sizes summed over the monthly partitions.
 */
record StorageFootprint(long readings, long tableBytes, long indexBytes) {

    static StorageFootprint ofHypertable(Connection c) throws SQLException {
        return query(c, """
                SELECT (SELECT count(*) FROM ingest.reading), coalesce(table_bytes, 0) + coalesce(toast_bytes, 0), coalesce(index_bytes, 0)
                FROM hypertable_detailed_size('ingest.reading')""");
    }

    static StorageFootprint ofPartitions(Connection c) throws SQLException {
        return query(c, """
                SELECT (SELECT count(*) FROM ingest.reading), sum(pg_table_size(i.inhrelid)), sum(pg_indexes_size(i.inhrelid))
                FROM pg_inherits i WHERE i.inhparent = 'ingest.reading'::regclass""");
    }

    private static StorageFootprint query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return new StorageFootprint(rs.getLong(1), rs.getLong(2), rs.getLong(3));
        }
    }

    long totalBytes() {
        return tableBytes + indexBytes;
    }

    double tablePerReading() {
        return (double) tableBytes / readings;
    }

    double totalPerReading() {
        return (double) totalBytes() / readings;
    }

    String describe() {
        return String.format("%,d readings, %.1f MB (table %.1f MB, indexes %.1f MB): %.0f bytes per reading, %.0f without indexes",
                readings, totalBytes() / 1e6, tableBytes / 1e6, indexBytes / 1e6, totalPerReading(), tablePerReading());
    }
}
