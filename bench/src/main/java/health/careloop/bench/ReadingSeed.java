package health.careloop.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Blood-pressure readings as a practice's cuffs send them, written into ingest.reading with set-based SQL: each patient
 * takes up to 4 readings a day (about 10% skipped), around 19:00, 07:00, 12:00 and 17:00 Chicago time give or take 45
 * minutes, with a systolic/diastolic/pulse baseline of their own and a few mmHg of spread around it, received a few
 * seconds after measuring. Every value comes from md5 of the patient, day and slot, so the same SQL writes the same rows
 * on TimescaleDB (PostgreSQL 17) and on the machine's PostgreSQL 15, and the two stores can be compared row for row.
 */
final class ReadingSeed {
    static final String PRACTICE = "00000000-0000-0000-0000-00000000bb01";

    private final int patients;
    private final int days;
    /** Midnight UTC of the day after the last seeded day: readings are in the {@code days} days before it. */
    private final Instant end;

    ReadingSeed(int patients, int days, Instant now) {
        this.patients = patients;
        this.days = days;
        this.end = now.truncatedTo(ChronoUnit.DAYS);
    }

    Instant end() {
        return end;
    }

    /**
     * One statement (and transaction) per UTC day, oldest first: a day's readings never cross a 7-day chunk boundary
     * (chunks start at midnight UTC), because the WASM TimescaleDB sometimes traps on a transaction that writes
     * several chunks (tools/timescale-wasm/README.md). Returns the readings written.
     */
    long write(Connection c, String label) throws SQLException {
        long written = 0;
        long start = System.nanoTime();
        try (Statement s = c.createStatement()) {
            for (int d = days; d >= 1; d--) {
                written += s.executeUpdate(day(d));
                if (d % 10 == 0) {
                    System.err.printf("   %s: seeded down to day -%d, %,d readings, %.0f s%n", label, d, written, (System.nanoTime() - start) / 1e9);
                }
            }
        }
        return written;
    }

    /** The patients' ids, as the seed derives them. */
    List<UUID> patientIds(Connection c) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT md5('patient-' || p)::uuid FROM generate_series(1, " + patients + ") p ORDER BY p")) {
            while (rs.next()) {
                ids.add(rs.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    private String day(int daysBack) {
        // Slots at 01, 13, 18 and 23 h UTC (19:00, 07:00, 12:00, 17:00 CST) ± 45 min keep a UTC day's readings in that day.
        // Bytes of h (per reading) and b (per patient) give jitter, skips and values; the sum of three bytes is a rough bell.
        return """
                INSERT INTO ingest.reading (device_id, type, measured_at, practice_id, patient_id, local_date, measured_offset_minutes,
                                            received_at, systolic, diastolic, pulse, unit, loinc)
                SELECT 'cuff-' || p, 'blood_pressure', t.at, '%1$s', md5('patient-' || p)::uuid,
                       (t.at AT TIME ZONE 'America/Chicago')::date, -360, t.at + (3 + get_byte(h, 2) %% 40) * interval '1 second',
                       (112 + get_byte(b, 0) %% 45 + (get_byte(h, 4) + get_byte(h, 5) + get_byte(h, 6)) * 24 / 765 - 12)::smallint,
                       (68 + get_byte(b, 1) %% 25 + (get_byte(h, 7) + get_byte(h, 8) + get_byte(h, 9)) * 16 / 765 - 8)::smallint,
                       (60 + get_byte(b, 2) %% 25 + (get_byte(h, 10) + get_byte(h, 11) + get_byte(h, 12)) * 16 / 765 - 8)::smallint,
                       'mmHg', '85354-9'
                FROM generate_series(1, %2$d) p
                CROSS JOIN LATERAL (SELECT decode(md5('patient-' || p), 'hex') AS b) patient
                CROSS JOIN LATERAL (SELECT slot, decode(md5(p || '/' || %3$d || '/' || slot), 'hex') AS h
                                    FROM unnest(ARRAY[1, 13, 18, 23]) slot) reading
                CROSS JOIN LATERAL (SELECT TIMESTAMPTZ '%4$s' - %3$d * interval '1 day' + slot * interval '1 hour'
                                           + (get_byte(h, 0) %% 91 - 45) * interval '1 minute' + get_byte(h, 3) %% 60 * interval '1 second' AS at) t
                WHERE get_byte(h, 1) >= 26""".formatted(PRACTICE, patients, daysBack, end);
    }
}
