package health.careloop.bench;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What PostgreSQL alone does on the duplicate-safe path, without MQTT or JSON: COPY the rows into a temporary table,
 * then one INSERT … SELECT … ON CONFLICT DO NOTHING into ingest.reading, in one transaction. Rows per second. Two
 * shapes, measured in the same run: {@link Shape#BARE}, the reading table alone (what a store of readings costs at
 * the least), and {@link Shape#WITH_SIDE_WRITES}, the same statement also queueing the new readings for the evaluator
 * (one ingest.evaluation_batch row per statement, V9) and upserting the data-day rollup once per patient-day, as
 * ingest's own statement does.
 */
final class DatabaseCeiling {
    enum Shape {
        BARE("bare reading table"),
        WITH_SIDE_WRITES("with data-day rollup and evaluation queue");

        final String label;

        Shape(String label) {
            this.label = label;
        }
    }

    private static final String BARE_INSERT = """
            WITH inserted AS (
                INSERT INTO ingest.reading SELECT * FROM %s ON CONFLICT DO NOTHING RETURNING 1
            )
            SELECT count(*) FROM inserted""";

    private static final String INSERT_WITH_SIDE_WRITES = """
            WITH inserted AS (
                INSERT INTO ingest.reading SELECT * FROM %s ON CONFLICT DO NOTHING
                RETURNING practice_id, patient_id, local_date, device_id, type, measured_at
            ), queued AS (
                INSERT INTO ingest.evaluation_batch (size, practice_ids, patient_ids, device_ids, types, measured_ats)
                SELECT count(*), array_agg(practice_id), array_agg(patient_id), array_agg(device_id), array_agg(type), array_agg(measured_at)
                FROM inserted HAVING count(*) > 0
            ), days AS (
                INSERT INTO ingest.reading_day (practice_id, patient_id, local_date, reading_count)
                SELECT practice_id, patient_id, local_date, count(*) FROM inserted
                GROUP BY practice_id, patient_id, local_date ORDER BY patient_id, local_date
                ON CONFLICT (patient_id, local_date) DO UPDATE SET reading_count = reading_day.reading_count + EXCLUDED.reading_count
            )
            SELECT count(*) FROM inserted""";

    private DatabaseCeiling() {
    }

    static double copyThenInsert(BenchDatabase db, long rows, Shape shape) throws Exception {
        List<String[]> owners = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT device_id, practice_id, patient_id FROM ingest.device_assignment WHERE valid_to IS NULL ORDER BY device_id")) {
            while (rs.next()) {
                owners.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        }
        StringBuilder data = new StringBuilder((int) rows * 160);
        long base = System.currentTimeMillis() - 3_600_000;
        for (long i = 0; i < rows; i++) {
            String[] o = owners.get((int) (i % owners.size()));
            Instant at = Instant.ofEpochMilli(base + i);
            data.append(o[0]).append("\tblood_pressure\t").append(at).append('\t').append(o[1]).append('\t').append(o[2]).append('\t')
                    .append(at.atOffset(ZoneOffset.UTC).toLocalDate()).append("\t0\t").append(Instant.now()).append("\t\\N\t")
                    .append(110 + i % 20).append('\t').append(70 + i % 10).append('\t').append(60 + i % 30)
                    .append("\t\\N\t\\N\t\\N\t\\N\tmmHg\t85354-9\t\\N\n");
        }
        String table = "bench_copy_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            long started = System.nanoTime();
            c.setAutoCommit(false);
            s.execute("CREATE TEMPORARY TABLE " + table + " (LIKE ingest.reading INCLUDING DEFAULTS) ON COMMIT DROP");
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn("COPY " + table + " (device_id, type, measured_at, practice_id, patient_id, local_date, measured_offset_minutes, "
                    + "received_at, reading_id, systolic, diastolic, pulse, glucose_mg_dl, meal_context, weight_kg, spo2, unit, loinc, source_unit) "
                    + "FROM STDIN", new StringReader(data.toString()));
            s.execute((shape == Shape.BARE ? BARE_INSERT : INSERT_WITH_SIDE_WRITES).formatted(table));
            c.commit();
            double seconds = (System.nanoTime() - started) / 1e9;
            System.err.printf("== PostgreSQL alone (%s): COPY + INSERT … ON CONFLICT of %d rows in %.2f s = %.0f rows/s%n", shape.label, rows, seconds, rows / seconds);
            return rows / seconds;
        }
    }
}
