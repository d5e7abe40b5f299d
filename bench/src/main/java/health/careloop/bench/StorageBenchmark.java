package health.careloop.bench;

import health.careloop.testing.WasmTimescale;
import health.careloop.ingest.config.StorageModePreference;
import health.careloop.common.db.Database;
import health.careloop.common.directory.CoreSchema;
import health.careloop.ingest.storage.IngestSchema;
import health.careloop.ingest.storage.StorageMaintenance;
import health.careloop.ingest.storage.StorageMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Storage per reading with TimescaleDB compression (issue 8.4), on the WASM TimescaleDB of tools/timescale-wasm: ingest's
 * own schema (its migrations detect TimescaleDB and make ingest.reading a hypertable compressed by patient;
 * {@link StorageMaintenance} adds the policies), {@code --patients} × 4 blood-pressure readings a day × {@code --days},
 * then bytes per reading and the chart's 90-day fetch (p50/p99 over {@code --sample} patients) three times: uncompressed
 * (the same-run reference), after the compression policy's own run (chunks past its horizon), and with every chunk
 * compressed. Optionally the same rows on the machine's PostgreSQL 15 with plain partitions, as production runs without
 * TimescaleDB. Stops by itself: everything is a count.
 */
@Command(name = "storage", mixinStandardHelpOptions = true, description = "Bytes per reading and chart fetch with TimescaleDB compression")
final class StorageBenchmark implements Callable<Integer> {
    private static final Duration RETENTION = Duration.ofDays(400);

    @Option(names = "--patients", defaultValue = "1000", description = "patients, one cuff each (default: ${DEFAULT-VALUE})")
    int patients;
    @Option(names = "--days", defaultValue = "120", description = "days of readings, 4 a day (default: ${DEFAULT-VALUE})")
    int days;
    @Option(names = "--sample", defaultValue = "200", description = "patients whose 90-day chart is fetched per phase (default: ${DEFAULT-VALUE})")
    int sample;
    @Option(names = "--chunk-days", description = "set the hypertable's chunk interval before seeding, to compare with the schema's 7 days "
            + "(default: the schema's)")
    Integer chunkDays;
    @Option(names = "--postgres-reference", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "also load the same rows into a fresh database on the machine's PostgreSQL (default: ${DEFAULT-VALUE})")
    boolean postgresReference;

    /** One row of the results table. */
    private record Phase(String name, StorageFootprint footprint, ChartFetchTimer.Timing chart) {
    }

    @Override
    public Integer call() throws Exception {
        Report report = new Report("Storage with TimescaleDB compression (WASM build)");
        ReadingSeed seed = new ReadingSeed(patients, days, Instant.now());
        List<Phase> phases = new ArrayList<>();
        CompressionRun policy;
        CompressionRun rest;
        CompressionStats stats;
        double seedSeconds;
        long wasmMegabytes;
        String versions;
        ChartFetchTimer timer;
        try (WasmTimescale server = WasmTimescale.start(); Database database = Database.connect(server.config())) {
            CoreSchema.migrate(database.dataSource());
            StorageMode mode = IngestSchema.migrate(database.dataSource(), StorageModePreference.TIMESCALEDB);
            new StorageMaintenance(database.dataSource(), mode, RETENTION).run();
            try (Connection c = database.connection()) {
                if (chunkDays != null) {
                    execute(c, "SELECT set_chunk_time_interval('ingest.reading', INTERVAL '" + chunkDays + " days')");
                }
                versions = text(c, "SELECT 'PostgreSQL ' || current_setting('server_version') || ', TimescaleDB ' || extversion "
                        + "FROM pg_extension WHERE extname = 'timescaledb'");
                long t0 = System.nanoTime();
                seed.write(c, "TimescaleDB");
                seedSeconds = (System.nanoTime() - t0) / 1e9;
                execute(c, "ANALYZE ingest.reading");
                timer = timer(seed.patientIds(c), seed.end());

                phases.add(new Phase("TimescaleDB, uncompressed (reference)", StorageFootprint.ofHypertable(c), timer.time(c)));
                policy = CompressionRun.policy(c);
                execute(c, "ANALYZE ingest.reading");
                phases.add(new Phase("TimescaleDB, after the compression policy's run (" + policy.describeChunks() + ")",
                        StorageFootprint.ofHypertable(c), timer.time(c)));
                rest = CompressionRun.remaining(c);
                execute(c, "ANALYZE ingest.reading");
                phases.add(new Phase("TimescaleDB, every chunk compressed (" + rest.describeChunks() + " more)",
                        StorageFootprint.ofHypertable(c), timer.time(c)));
                stats = CompressionStats.of(c);
            }
            wasmMegabytes = server.residentMegabytes();
        }
        double postgresSeedSeconds = 0;
        if (postgresReference) {
            try (BenchDatabase db = BenchDatabase.create(); Database database = Database.connect(db.config(1))) {
                CoreSchema.migrate(database.dataSource());
                StorageMode mode = IngestSchema.migrate(database.dataSource(), StorageModePreference.POSTGRES);
                new StorageMaintenance(database.dataSource(), mode, RETENTION).run();
                try (Connection c = database.connection()) {
                    long t0 = System.nanoTime();
                    seed.write(c, "PostgreSQL");
                    postgresSeedSeconds = (System.nanoTime() - t0) / 1e9;
                    execute(c, "VACUUM ANALYZE ingest.reading");
                    phases.add(new Phase("PostgreSQL " + text(c, "SHOW server_version") + ", monthly partitions (native server)",
                            StorageFootprint.ofPartitions(c), timer.time(c)));
                }
            }
        }
        report(report, phases, policy, stats, seedSeconds, postgresSeedSeconds, wasmMegabytes, versions);
        report.publish("storage");
        return 0;
    }

    private ChartFetchTimer timer(List<UUID> ids, Instant end) {
        List<UUID> shuffled = new ArrayList<>(ids);
        Collections.shuffle(shuffled, new Random(42));
        int n = Math.min(sample, shuffled.size());
        return new ChartFetchTimer(shuffled.subList(0, n), shuffled.subList(n, shuffled.size()), end);
    }

    private void report(Report report, List<Phase> phases, CompressionRun policy, CompressionStats stats, double seedSeconds, double postgresSeedSeconds,
                        long wasmMegabytes, String versions) {
        long readings = phases.get(0).footprint().readings();
        report.line("Command: `scripts/bench.sh storage --patients %d --days %d --sample %d%s%s`. %s in Node.js (tools/timescale-wasm), "
                        + "one connection; ingest's migrations and StorageMaintenance made ingest.reading a hypertable (%s, "
                        + "compression segmented by patient_id, ordered by measured_at DESC, policy after %s). %,d patients × up to 4 "
                        + "blood-pressure readings a day × %d days = %,d readings, seeded in %.0f s (%,.0f readings/s)%s. "
                        + "Node.js resident memory at the end: %,d MB.",
                patients, days, sample, chunkDays == null ? "" : " --chunk-days " + chunkDays, postgresReference ? "" : " --no-postgres-reference",
                versions, chunkDays == null ? "7-day chunks as the schema has them" : chunkDays + "-day chunks instead of the schema's 7", policy.horizon(), patients, days,
                readings, seedSeconds, readings / seedSeconds,
                postgresReference ? String.format("; the same rows into PostgreSQL in %.0f s (%,.0f readings/s)", postgresSeedSeconds,
                        readings / postgresSeedSeconds) : "",
                wasmMegabytes);
        report.line("");
        report.line("| store | readings | table + indexes | bytes per reading | without indexes | 90-day chart fetch p50 / p99 / max | rows per fetch | `SELECT 1` p50 / p99 |");
        report.line("| --- | ---: | ---: | ---: | ---: | --- | ---: | --- |");
        for (Phase p : phases) {
            StorageFootprint f = p.footprint();
            ChartFetchTimer.Timing t = p.chart();
            report.line("| %s | %,d | %.1f MB | %.0f | %.0f | %.1f / %.1f / %.1f ms | %.0f | %.2f / %.2f ms |", p.name(), f.readings(), f.totalBytes() / 1e6,
                    f.totalPerReading(), f.tablePerReading(), t.fetch().p50(), t.fetch().p99(), t.fetch().max(), t.rowsPerFetch(), t.floor().p50(),
                    t.floor().p99());
        }
        StorageFootprint before = phases.get(0).footprint();
        StorageFootprint all = phases.get(2).footprint();
        report.line("");
        report.line("- Whole table, every chunk compressed: %.0f → %.0f bytes per reading with indexes (**%.1f×** smaller).",
                before.totalPerReading(), all.totalPerReading(), before.totalPerReading() / all.totalPerReading());
        report.line("- TimescaleDB's own count (chunk_compression_stats): %s.", stats.describe());
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
