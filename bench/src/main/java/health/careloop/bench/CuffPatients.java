package health.careloop.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Patients of one practice with a blood-pressure cuff each and 4 readings a day with pulse (07:00, 12:00, 17:00,
 * 22:00 UTC) over the last {@code days} days, in set-based statements: the population the API-latency and FHIR search
 * benchmarks read, with their data days. Patients are told apart by their MRN prefix, and each one's cuff is {@code cuff-<n>}.
 */
final class CuffPatients {
    private CuffPatients() {
    }

    /**
     * Seeds the patients, their cuffs and assignments, then the readings one day a statement on {@code workers}
     * connections at once (the 2 cores here seed 100 million readings in about 40 minutes with two, an hour with one).
     */
    static void seed(BenchDatabase db, String practice, int patients, int days, String mrnPrefix, int workers) throws Exception {
        int suffixFrom = mrnPrefix.length() + 1;
        String ours = "p.external_ref LIKE '" + mrnPrefix + "%'";
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO core.patient (id, practice_id, external_ref) SELECT gen_random_uuid(), '%s', '%s' || g FROM generate_series(1, %d) g"
                    .formatted(practice, mrnPrefix, patients));
            s.execute("INSERT INTO ingest.device (device_id, practice_id, kind, model) SELECT 'cuff-' || substr(p.external_ref, %d), p.practice_id, "
                    .formatted(suffixFrom) + "'blood_pressure_cuff', 'bench' FROM core.patient p WHERE " + ours);
            s.execute("INSERT INTO ingest.device_assignment (device_id, practice_id, patient_id, valid_from) SELECT 'cuff-' || substr(p.external_ref, %d), "
                    .formatted(suffixFrom) + "p.practice_id, p.id, now() - interval '%d days' FROM core.patient p WHERE ".formatted(days + 1) + ours);
        }
        // The data-day rollup ingest keeps beside the readings (a table on plain PostgreSQL; TimescaleDB derives it), so
        // that the platform's missed-reading check, which runs during a long seeding, sees the days as it would in a
        // running practice instead of raising a "no data" alert and task for every patient.
        boolean rollup = db.count("SELECT count(*) FROM pg_class WHERE oid = to_regclass('ingest.reading_day') AND relkind = 'r'") == 1;
        // Newest day first, each worker taking the next: the platform's missed-reading check (15 minutes after start) then
        // finds every patient with recent data days, as in a running practice, instead of raising a "no data" alert and
        // task for each of them (which it did with oldest-first seeding: 100,000 of them, tasks in the queue being timed).
        // One day a statement keeps each statement's memory and WAL modest.
        AtomicInteger nextDay = new AtomicInteger(1);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Void>> running = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                running.add(pool.submit(() -> {
                    try (Connection c = db.connect(); Statement s = c.createStatement()) {
                        s.execute("SET synchronous_commit = off");
                        for (int d = nextDay.getAndIncrement(); d <= days; d = nextDay.getAndIncrement()) {
                            insertDay(s, suffixFrom, d, ours);
                            if (rollup) {
                                s.execute("INSERT INTO ingest.reading_day (practice_id, patient_id, local_date, reading_count) SELECT p.practice_id, "
                                        + "p.id, (now() - interval '%d days')::date, 4 FROM core.patient p WHERE %s".formatted(d, ours));
                            }
                            if (d % 10 == 0) {
                                System.err.printf("   seeded readings of day -%d%n", d);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> worker : running) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void insertDay(Statement s, int suffixFrom, int daysAgo, String ours) throws SQLException {
        s.execute("""
                INSERT INTO ingest.reading (device_id, type, measured_at, practice_id, patient_id, local_date, measured_offset_minutes,
                                            received_at, systolic, diastolic, pulse, unit, loinc)
                SELECT 'cuff-' || substr(p.external_ref, %1$d), 'blood_pressure', t, p.practice_id, p.id, t::date, 0, t,
                       110 + (hashtext(p.id::text || t::text) & 31), 70 + (hashtext(t::text || p.id::text) & 15), 72, 'mmHg', '85354-9'
                FROM core.patient p
                CROSS JOIN LATERAL (SELECT date_trunc('day', now() - interval '%2$d days') + h * interval '1 hour' AS t
                                    FROM unnest(ARRAY[7, 12, 17, 22]) h) times
                WHERE %3$s""".formatted(suffixFrom, daysAgo, ours));
    }
}
