package health.careloop.bench;

import health.careloop.clinical.ClinicalTier;
import health.careloop.clinical.alerts.AlertStore;
import health.careloop.clinical.evaluation.MissedReadingsCheck;
import health.careloop.clinical.rules.Finding;
import health.careloop.clinical.rules.MissedReadingRules;
import health.careloop.clinical.rules.ThresholdStore;
import health.careloop.clinical.rules.Thresholds;
import health.careloop.common.db.Database;
import health.careloop.common.directory.CoreSchema;
import health.careloop.ingest.config.StorageModePreference;
import health.careloop.ingest.devices.DeviceRegistry;
import health.careloop.ingest.devices.MonitoredPatient;
import health.careloop.ingest.storage.IngestSchema;
import health.careloop.ingest.storage.ReadingQueries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * The scheduled missed-reading check (every 15 minutes) over a practice of --patients monitored patients with --days
 * data days each, one in ten silent for the last --silent-days: the set-based check against, in the same run, the
 * check as it was before 2026-12-07 (one query for data days, one transaction with the patient's lock and thresholds,
 * per patient), kept here as the baseline. The check reads only ingest's data-day rollup, so the seed writes the
 * rollup and no readings.
 */
@Command(name = "missed-readings", mixinStandardHelpOptions = true, description = "The missed-reading check at 100,000 patients against its former per-patient form")
final class MissedReadingsBenchmark implements Callable<Integer> {
    @Option(names = "--patients", defaultValue = "100000", description = "monitored patients (default: ${DEFAULT-VALUE})")
    int patients;
    @Option(names = "--days", defaultValue = "45", description = "days since each patient's cuff was assigned (default: ${DEFAULT-VALUE})")
    int days;
    @Option(names = "--silent-days", defaultValue = "5", description = "the last days without data of one patient in ten (default: ${DEFAULT-VALUE})")
    int silentDays;

    @Override
    public Integer call() throws Exception {
        Report report = new Report("Missed-reading check");
        try (BenchDatabase db = BenchDatabase.create(); Database database = Database.connect(db.config(4))) {
            CoreSchema.migrate(database.dataSource());
            IngestSchema.migrate(database.dataSource(), StorageModePreference.POSTGRES);
            ClinicalTier.open(database);
            long t0 = System.nanoTime();
            seed(db);
            double seed = seconds(t0);
            System.err.printf("seeded %,d patients in %.1f s%n", patients, seed);
            DataSource ds = database.dataSource();
            Instant now = Instant.now();
            MissedReadingsCheck check = new MissedReadingsCheck(ds);
            t0 = System.nanoTime();
            int raised = check.run(now);
            double first = seconds(t0);
            // Steady state, as every later run of the day: each finding is absorbed by its unresolved alert.
            t0 = System.nanoTime();
            int baselineRaised = perPatientCheck(ds, now);
            double baseline = seconds(t0);
            t0 = System.nanoTime();
            int again = check.run(now);
            double steady = seconds(t0);
            long alerts = db.count("SELECT count(*) FROM clinical.alert");
            report.line("Command: `scripts/bench.sh missed-readings` (`java -Xmx1g -jar bench/target/careloop-bench.jar missed-readings "
                    + "--patients %d --days %d --silent-days %d`).", patients, days, silentDays);
            report.line("");
            report.line("%,d monitored patients, a cuff each assigned %d days ago, a data day every day except the last %d for one in ten "
                    + "(seeded in %.0f s). Each run is `MissedReadingsCheck.run` over the whole practice.", patients, days, silentDays, seed);
            report.line("");
            report.line("| run | time (s) | µs per patient | alerts raised |");
            report.line("| --- | ---: | ---: | ---: |");
            report.line("| set-based check, first run | %.2f | %.0f | %,d |", first, first * 1e6 / patients, raised);
            report.line("| former per-patient check (baseline), steady state | %.2f | %.0f | %,d |", baseline, baseline * 1e6 / patients, baselineRaised);
            report.line("| **set-based check, steady state** | **%.2f** | %.0f | %,d |", steady, steady * 1e6 / patients, again);
            report.line("");
            report.line("- Steady state: the %,d alerts of the first run are open, so both later runs find them again and raise nothing. "
                    + "Set-based / per-patient: **%.2f×** the time.", alerts, steady / baseline);
            report.publish("missed-readings");
        }
        return 0;
    }

    /** Patients, cuffs and assignments, and a data-day row per patient per day (set-based statements). */
    private void seed(BenchDatabase db) throws SQLException {
        String practice = UUID.randomUUID().toString();
        db.execute(
                "INSERT INTO core.practice (id, name, time_zone) VALUES ('%s', 'Missed-readings bench', 'America/Chicago')".formatted(practice),
                "INSERT INTO core.patient (id, practice_id, external_ref) SELECT gen_random_uuid(), '%s', 'MR-' || g FROM generate_series(1, %d) g"
                        .formatted(practice, patients),
                "INSERT INTO ingest.device (device_id, practice_id, kind, model) SELECT 'cuff-' || substr(external_ref, 4), practice_id, "
                        + "'blood_pressure_cuff', 'bench' FROM core.patient",
                "INSERT INTO ingest.device_assignment (device_id, practice_id, patient_id, valid_from) SELECT 'cuff-' || substr(external_ref, 4), "
                        + "practice_id, id, now() - interval '%d days' FROM core.patient".formatted(days),
                ("INSERT INTO ingest.reading_day (practice_id, patient_id, local_date, reading_count) SELECT p.practice_id, p.id, d::date, 4 "
                        + "FROM core.patient p CROSS JOIN generate_series((now() AT TIME ZONE 'America/Chicago')::date - %d, "
                        + "(now() AT TIME ZONE 'America/Chicago')::date, interval '1 day') d "
                        + "WHERE substr(p.external_ref, 4)::int %% 10 <> 0 OR d::date <= (now() AT TIME ZONE 'America/Chicago')::date - %d")
                        .formatted(days - 1, silentDays),
                "VACUUM (ANALYZE) ingest.reading_day");
    }

    /** The check as it was before it read patients in chunks (git history of MissedReadingsCheck): the baseline. */
    private static int perPatientCheck(DataSource dataSource, Instant now) throws SQLException {
        ReadingQueries readings = new ReadingQueries(dataSource);
        int raised = 0;
        for (MonitoredPatient p : new DeviceRegistry(dataSource).monitoredPatients()) {
            LocalDate today = now.atZone(p.practiceZone()).toLocalDate();
            LocalDate firstDay = p.firstAssigned().atZone(p.practiceZone()).toLocalDate();
            LocalDate from = firstDay.isBefore(today.minusDays(400)) ? today.minusDays(400) : firstDay;
            Set<LocalDate> dataDays = new TreeSet<>(readings.dataDays(p.patientId(), from, today).keySet());
            Optional<LocalDate> last = dataDays.stream().max(LocalDate::compareTo);
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(1129080182, hashtext(?))")) {
                    lock.setString(1, p.patientId().toString());
                    lock.execute();
                }
                Thresholds t = ThresholdStore.load(c, p.patientId());
                List<Finding> findings = new ArrayList<>();
                MissedReadingRules.noData(firstDay, last, today, t).ifPresent(findings::add);
                MissedReadingRules.dataDaysAtRisk(firstDay, dataDays, today, t).ifPresent(findings::add);
                for (Finding f : findings) {
                    if (AlertStore.record(c, p.practiceId(), p.patientId(), f) == AlertStore.Outcome.RAISED) {
                        raised++;
                    }
                }
                c.commit();
            }
        }
        return raised;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
