package health.careloop.bench;

import health.careloop.billing.BillingTier;
import health.careloop.billing.claims.BillingSettings;
import health.careloop.billing.claims.MonthClose;
import health.careloop.billing.claims.MonthRules;
import health.careloop.billing.claims.PracticeMonthLoader;
import health.careloop.clinical.ClinicalTier;
import health.careloop.ingest.config.StorageModePreference;
import health.careloop.common.db.Database;
import health.careloop.common.directory.CoreSchema;
import health.careloop.ingest.storage.IngestSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Month close (issue 5) of practices of 1,000 (warm-up), 10,000 and 100,000 patients with a month of readings, 4 a day,
 * and 5 ledger entries each, on the machine's PostgreSQL in a fresh database dropped afterwards. Each close is set
 * against references measured in the same run on the same data: the bare read (every input row of the practice-month
 * streamed to the JVM, one scan per table, nothing done with it) and the rules engine alone (its share of an in-memory
 * evaluation of the same patient-months). Goal: under 60 s for 100,000.
 */
@Command(name = "month-close", mixinStandardHelpOptions = true, description = "Month close at 10,000 and 100,000 patients against a bare read")
final class MonthCloseBenchmark implements Callable<Integer> {
    static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
    static final ZoneId ZONE = ZoneId.of(MonthCloseSeed.ZONE);

    @Option(names = "--patients", split = ",", defaultValue = "1000,10000,100000",
            description = "practice sizes, the first one also warms the JVM up (default: ${DEFAULT-VALUE})")
    List<Integer> sizes;
    @Option(names = "--chunk", defaultValue = "5000", description = "patients per chunk of the set-based close (default: ${DEFAULT-VALUE})")
    int chunk;

    record Run(int patients, double seedSeconds, double bareReadSeconds, long bareRows, double loadSeconds, double rulesSeconds,
               double readinessSeconds, double closeSeconds, double recloseSeconds, long lines, long reasons) {
    }

    @Override
    public Integer call() throws Exception {
        Report report = new Report("Month close (issue 5)");
        List<Run> runs = new ArrayList<>();
        try (BenchDatabase db = BenchDatabase.create(); Database database = Database.connect(db.config(4))) {
            CoreSchema.migrate(database.dataSource());
            IngestSchema.migrate(database.dataSource(), StorageModePreference.POSTGRES);
            ClinicalTier.open(database);
            Clock afterNovember = Clock.fixed(Instant.parse("2026-12-05T12:00:00Z"), ZoneOffset.UTC);
            BillingSettings settings = BillingSettings.defaults();
            MonthClose close = BillingTier.open(database.dataSource(), settings, afterNovember).monthClose();
            MonthRules rules = new MonthRules(settings);
            PracticeMonthLoader loader = new PracticeMonthLoader(rules, chunk);
            for (int n : sizes) {
                long t0 = System.nanoTime();
                UUID practice;
                try (Connection c = db.connect()) {
                    practice = MonthCloseSeed.practice(c, n);
                }
                double seed = seconds(t0);
                System.err.printf("seeded %,d patients in %.1f s%n", n, seed);
                long[] bareRows = new long[1];
                double bare = Math.min(timed(() -> bareRows[0] = bareRead(db, practice)), timed(() -> bareRead(db, practice)));
                double[] split = evaluateInMemory(database, loader, rules, practice);
                // Readiness mid-month (what GET /billing/readiness evaluates, without its JSON): the same set-based loader.
                long[] readinessPatients = new long[1];
                t0 = System.nanoTime();
                close.evaluate(practice, ZONE, NOVEMBER, NOVEMBER.atDay(20), r -> readinessPatients[0]++);
                double readiness = seconds(t0);
                t0 = System.nanoTime();
                MonthClose.Summary closed = close.closeMonth(practice, NOVEMBER, "bench");
                double closeSeconds = seconds(t0);
                t0 = System.nanoTime();
                close.stored(practice, NOVEMBER).orElseThrow();
                double reclose = seconds(t0);
                Run run = new Run(n, seed, bare, bareRows[0], split[0], split[1], readiness, closeSeconds, reclose, closed.lines(), closed.notBilled());
                System.err.println(run);
                runs.add(run);
            }
        }
        report.line("Command: `scripts/bench.sh month-close` (`java -Xmx1g -jar bench/target/careloop-bench.jar month-close --patients=%s --chunk=%d`).",
                String.join(",", sizes.stream().map(String::valueOf).toList()), chunk);
        report.line("Each practice: N patients, November 2026, 4 readings a day on 6-30 days (%s), 5 ledger entries each; the close "
                + "evaluates every patient (RPM device, set-up, management and 99091 codes, CCM with its initiating visit, G0506 and inpatient stays) "
                + "and writes claim lines and reasons.", "reading and reading_day");
        report.line("");
        report.line("| patients | seed (s) | bare read (s) | rows read | load (s) | rules alone (s) | readiness on the 20th (s) | **close (s)** | close / bare read | close / rules | µs per patient | claim lines | reasons | read back (s) |");
        report.line("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Run r : runs) {
            report.line("| %,d | %.1f | %.2f | %,d | %.2f | %.2f | %.2f | **%.2f** | %.1f× | %.1f× | %.0f | %,d | %,d | %.2f |", r.patients, r.seedSeconds,
                    r.bareReadSeconds, r.bareRows, r.loadSeconds, r.rulesSeconds, r.readinessSeconds, r.closeSeconds, r.closeSeconds / r.bareReadSeconds,
                    r.closeSeconds / r.rulesSeconds, r.closeSeconds * 1e6 / r.patients, r.lines, r.reasons, r.recloseSeconds);
        }
        report.line("");
        for (int i = 1; i < runs.size(); i++) {
            Run a = runs.get(i - 1);
            Run b = runs.get(i);
            report.line("- %,d → %,d patients (×%.0f): close ×%.1f, bare read ×%.1f.", a.patients, b.patients, (double) b.patients / a.patients,
                    b.closeSeconds / a.closeSeconds, b.bareReadSeconds / a.bareReadSeconds);
        }
        Run largest = runs.get(runs.size() - 1);
        report.line("- Goal: close under 60 s for 100,000 patients; %,d took **%.1f s**.", largest.patients, largest.closeSeconds);
        report.line("- Bare read: the same input rows of the practice-month (patients, conditions, consents, enrolments, care plan versions, device "
                + "assignments, data days, ledger entries) streamed to the JVM, one scan per table, best of two. Load: the set-based loader "
                + "building patient-months in chunks (queries + assembly). Rules alone: MonthRules over those patient-months in memory. Close: `MonthClose.closeMonth` (lock, read in chunks with the next "
                + "chunk read while the current one is written, evaluate, COPY lines and reasons, commit). Read back: `MonthClose.stored`, "
                + "the stored lines and reasons that POST /billing/months/{month}/close answers with.");
        report.publish("month-close");
        return 0;
    }

    /** Loads every patient-month of the practice in chunks and times the rules over them separately: {load seconds, rules seconds}. */
    private static double[] evaluateInMemory(Database database, PracticeMonthLoader loader, MonthRules rules, UUID practice) throws SQLException {
        long[] rulesNanos = new long[1];
        long t0 = System.nanoTime();
        try (Connection c = database.dataSource().getConnection()) {
            loader.forEachChunk(c, practice, ZONE, NOVEMBER, NOVEMBER.atEndOfMonth(), chunk -> {
                long r0 = System.nanoTime();
                chunk.parallelStream().map(rules::evaluate).toList();
                rulesNanos[0] += System.nanoTime() - r0;
            });
        }
        long total = System.nanoTime() - t0;
        return new double[]{(total - rulesNanos[0]) / 1e9, rulesNanos[0] / 1e9};
    }

    /** Streams every input row of the practice-month to the JVM: the least any close has to pay. Returns the row count. */
    private static long bareRead(BenchDatabase db, UUID practice) throws SQLException {
        String[] scans = {
                "SELECT id FROM core.patient WHERE practice_id = ?",
                "SELECT patient_id, icd10, onset, expected_duration, significant_risk, ended_on FROM clinical.condition WHERE practice_id = ?",
                "SELECT patient_id, program, obtained_on, accepted, revoked_on FROM clinical.consent WHERE practice_id = ?",
                "SELECT patient_id, program, start_date, end_date, billing_practitioner_id FROM clinical.enrolment WHERE practice_id = ?",
                "SELECT patient_id, version, changed_sections, created_at FROM clinical.care_plan_version WHERE practice_id = ?",
                "SELECT patient_id, valid_from FROM ingest.device_assignment WHERE practice_id = ?",
                "SELECT patient_id, local_date FROM ingest.reading_day WHERE practice_id = ? AND local_date BETWEEN DATE '2026-10-02' AND DATE '2026-11-30'",
                "SELECT patient_id, started_at, ended_at, program, staff_role, interaction_mode FROM billing.time_entry WHERE practice_id = ? "
                        + "AND superseded_by_entry IS NULL AND ended_at IS NOT NULL AND started_at < TIMESTAMPTZ '2026-12-01 06:00Z'"};
        long rows = 0;
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            for (String sql : scans) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setFetchSize(10_000);
                    ps.setObject(1, practice);
                    try (ResultSet rs = ps.executeQuery()) {
                        int columns = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            for (int i = 1; i <= columns; i++) {
                                rs.getString(i);
                            }
                            rows++;
                        }
                    }
                }
            }
            c.rollback();
        }
        return rows;
    }

    private interface Timed {
        void run() throws Exception;
    }

    private static double timed(Timed body) throws Exception {
        long t0 = System.nanoTime();
        body.run();
        return seconds(t0);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
