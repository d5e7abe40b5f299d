package health.careloop.bench;

import health.careloop.ingest.config.IngestConfig;
import health.careloop.ingest.IngestTier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Ingest throughput and latency, each figure against a reference measured in the same run (this machine is shared):
 * <ol>
 *   <li>live: the publisher as fast as it goes into a subscriber that only counts and acknowledges (the reference), then
 *   the same publisher paced at that rate into ingest, which commits every reading before acknowledging it;</li>
 *   <li>publish → committed latency with the publisher at half of ingest's live rate;</li>
 *   <li>drain: a backlog queued in the persistent session while the consumer was offline, drained by the reference,
 *   by ingest, and by a naive subscriber (one autocommitted INSERT per message).</li>
 * </ol>
 * These run on each broker of {@code --brokers}: the machine's Mosquitto and CareLoop's embedded HiveMQ (what a practice
 * that starts CareLoop with {@code scripts/run.sh} runs on), each with its own references. PostgreSQL alone on the
 * duplicate-safe COPY path, into the bare reading table and with the side writes, is the drain's yardstick.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, description = "Ingest throughput (live, drain) and publish-to-commit latency")
final class IngestBenchmark implements Callable<Integer> {
    @Option(names = "--devices", defaultValue = "1000", description = "patients with one cuff each (default: ${DEFAULT-VALUE})")
    int devices;
    @Option(names = "--reference-duration", defaultValue = "PT10S")
    Duration referenceDuration;
    @Option(names = "--live-duration", defaultValue = "PT20S")
    Duration liveDuration;
    @Option(names = "--latency-duration", defaultValue = "PT15S")
    Duration latencyDuration;
    @Option(names = "--publisher-warm-up", defaultValue = "PT5S", description = "before the latency phase, the publisher's fresh JVM publishes "
            + "this long where ingest does not subscribe, so that its own start-up (JIT compilation on the same 2 cores, and the burst with "
            + "which its pacer catches up) is not counted as ingest's latency; PT0S to include it (default: ${DEFAULT-VALUE})")
    Duration publisherWarmUp;
    @Option(names = "--path-warm-up", defaultValue = "PT5S", description = "before the latency phase, ingest runs this long at the phase's rate "
            + "on the broker the phase then uses (not reported; its rows are removed), so that broker and ingest are warm for this workload as "
            + "in a practice's long-running system; PT0S starts the phase on a fresh broker (default: ${DEFAULT-VALUE})")
    Duration pathWarmUp;
    @Option(names = "--settle-after-truncate", defaultValue = "PT0S", description = "before the latency phase, after emptying the tables "
            + "of the live phase: CHECKPOINT and wait this long, so that the file truncations and unlinks of that TRUNCATE are not inside "
            + "the timed phase (default: ${DEFAULT-VALUE})")
    Duration settleAfterTruncate;
    @Option(names = "--latency-load", defaultValue = "0.5", description = "the latency phase's rate as a fraction of min(reference, ingest live) "
            + "(default: ${DEFAULT-VALUE}, issue 19's goal)")
    double latencyLoad;
    @Option(names = "--sample-waits", defaultValue = "0", description = "diagnostic: sample PostgreSQL's wait events every N ms during the "
            + "latency phase and report what stalled statements waited on (default: ${DEFAULT-VALUE}, off)")
    int sampleWaitsEveryMillis;
    @Option(names = "--drain", defaultValue = "500000", description = "backlog to drain (default: ${DEFAULT-VALUE})")
    long drain;
    @Option(names = "--naive-drain", defaultValue = "20000", description = "backlog for the naive subscriber (default: ${DEFAULT-VALUE})")
    long naiveDrain;
    @Option(names = "--no-commit-watcher", description = "run the latency phase without the NOTIFY trigger that times commits from outside, "
            + "leaving only ingest's own measure of publish → committed (to see what the instrument itself costs)")
    boolean noCommitWatcher;
    @Option(names = "--batch-size", description = "CARELOOP_INGEST_BATCH_SIZE for ingest (default: the platform's)")
    Integer batchSize;
    @Option(names = "--max-batch-size", description = "CARELOOP_INGEST_MAX_BATCH_SIZE for ingest, the most a batch grows to while a backlog waits "
            + "(default: the platform's; the batch size turns growth off)")
    Integer maxBatchSize;

    @Option(names = "--brokers", split = ",", defaultValue = "MOSQUITTO,EMBEDDED",
            description = "brokers to run the live, latency and drain phases on, each with its own references: MOSQUITTO (the machine's), "
                    + "EMBEDDED (CareLoop's HiveMQ, as scripts/run.sh starts it) (default: ${DEFAULT-VALUE})")
    List<PhaseBroker.Kind> brokers;

    /** The broker-dependent phases of one broker, each ratio against that broker's own pass-through reference. */
    private record BrokerRun(PhaseBroker.Kind kind, Phases.Result reference, Phases.Result ingestLive, Rows liveRows, double halfRate,
                             Latency latency, Phases.Result referenceDrain, Phases.Result ingestDrain, Rows drainRows, String liveDiagnostics,
                             String drainDiagnostics) {
    }

    @Override
    public Integer call() throws Exception {
        Report report = new Report("Ingest throughput and latency");
        Map<String, String> settings = new HashMap<>();
        if (batchSize != null) {
            settings.put("CARELOOP_INGEST_BATCH_SIZE", batchSize.toString());
        }
        if (maxBatchSize != null) {
            settings.put("CARELOOP_INGEST_MAX_BATCH_SIZE", maxBatchSize.toString());
        }
        try (IngestRig rig = IngestRig.open(devices, settings)) {
            BenchDatabase db = rig.db();
            IngestConfig config = rig.config();
            IngestTier tier = rig.tier();
            report.line("Storage mode %s; ingest batch ≤ %d readings (growing to ≤ %d while a backlog waits), group commit, in-flight bound %d; "
                            + "PostgreSQL %s; %d patients with one cuff each; publisher: separate JVM, %d Paho connections, QoS 1, one blood-pressure "
                            + "reading per message; paced phases wake the publisher %s; before the latency phase its fresh JVM publishes for %s "
                            + "where ingest does not listen; %s.",
                    tier.storageMode(), config.batchSize(), Math.max(config.batchSize(), config.maxBatchSize()), config.maxInFlight(), serverSettings(db),
                    devices, Phases.CONNECTIONS, paceTick(), publisherWarmUp, pathWarmUp.isZero() ? "the latency phase starts on a fresh broker"
                            : "before that, ingest runs for " + pathWarmUp + " at the phase's rate on the broker the phase then uses (not reported, "
                            + "its rows removed)");
            report.line("");

            List<BrokerRun> runs = new ArrayList<>();
            for (PhaseBroker.Kind kind : brokers) {
                runs.add(onBroker(rig, rig.phases().on(kind)));
            }
            // Both COPY references in the same run: the bare reading table is the goal's yardstick (issue 19), the one
            // with the pre-issue-19 side writes shows what they cost PostgreSQL itself.
            double bareCopyRate = DatabaseCeiling.copyThenInsert(db, drain, DatabaseCeiling.Shape.BARE);
            rig.truncate();
            double copyRate = DatabaseCeiling.copyThenInsert(db, drain, DatabaseCeiling.Shape.WITH_SIDE_WRITES);
            rig.truncate();
            Phases.Result naive = rig.phases().drain("naive (INSERT + autocommit per message), drain", new NaiveSubscriber(db), naiveDrain,
                    Duration.ofSeconds(30));
            Rows naiveRows = rows(db);

            for (BrokerRun run : runs) {
                report.line("### On %s", run.kind().label);
                report.line("");
                report.line("| phase | published (acked by broker) | consumed | msg/s | vs reference | CPU µs/msg: consumer JVM%s | broker process "
                        + "| PostgreSQL backends | publisher JVM | rows stored / lost / twice |", run.kind() == PhaseBroker.Kind.EMBEDDED ? " (with the broker)" : "");
                report.line("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
                row(report, run.reference(), run.reference(), null);
                row(report, run.ingestLive(), run.reference(), run.liveRows());
                row(report, run.latency().run(), null, run.latency().rows());
                row(report, run.referenceDrain(), run.referenceDrain(), null);
                row(report, run.ingestDrain(), run.referenceDrain(), run.drainRows());
                if (run.kind() == PhaseBroker.Kind.MOSQUITTO) {
                    row(report, naive, run.referenceDrain(), naiveRows);
                }
                report.line("");
                report.line("- Live: ingest/reference = **%.2f×** (goal ≥ 0.9×)%s.", run.ingestLive().rate() / run.reference().rate(),
                        run.ingestLive().stoppedEarly() ? "; ingest fell more than " + Phases.BACKLOG_LIMIT + " behind and the publisher was stopped early" : "");
                report.line("- Drain of %,d queued: ingest/reference = **%.2f×**; ingest drain / bare-table COPY path = **%.2f×** (goal ≥ 0.8×); "
                                + "/ COPY path with the side writes = %.2f×.", drain, run.ingestDrain().rate() / run.referenceDrain().rate(),
                        run.ingestDrain().rate() / bareCopyRate, run.ingestDrain().rate() / copyRate);
                report.line("- Publish → committed (visible to other sessions) at %.0f msg/s (" + Math.round(latencyLoad * 100)
                                + "%% of min(reference, ingest live)): %s; "
                                + "without the first 5 s of the phase: %s; publish → received by ingest: %s. Goal p99 < 100 ms.", run.halfRate(),
                        run.latency().committed().describe(), run.latency().committedSteady().describe(), run.latency().received().describe());
                report.line("- Publish → committed as ingest itself measures it (each reading's measured_at to the return of its batch's COMMIT, "
                        + "in ingest's JVM, no notification in the way): %s; the wait of each batch's oldest message for the previous write: %s.",
                        run.latency().visibleInIngest().describe(), run.latency().batchWait().describe());
                report.line("- The phase's first seconds, by publish time (p99 / max ms, publish → received by ingest; publish → committed): %s.",
                        run.latency().firstSeconds());
                if (run.latency().waits() != null) {
                    report.line("- PostgreSQL's busy processes during the latency phase (samples by wait event; seconds from the sampler's start, "
                            + "which is just before the publisher's): %s.", run.latency().waits());
                }
                if (run.latency().leftovers() > 0) {
                    report.line("- %,d readings of the latency phase's warm-up were delivered again in the phase (acknowledgements the broker had not "
                            + "taken when ingest stopped) and stored anew after the warm-up's rows were removed; left out of the phase's figures.",
                            run.latency().leftovers());
                }
                report.line("- Ingest drain: %s. Live: %s. Latency phase: %s.", run.drainDiagnostics(), run.liveDiagnostics(), run.latency().diagnostics());
                report.line("");
            }
            report.line("### PostgreSQL alone and the naive baseline");
            report.line("");
            report.line("- The duplicate-safe COPY path (COPY %,d rows into a temporary table, then one INSERT … SELECT … ON CONFLICT DO NOTHING "
                    + "into ingest.reading, one commit), bare reading table: **%,.0f rows/s**.", drain, bareCopyRate);
            report.line("- The same COPY path with ingest's side writes (the data-day rollup, one upsert per patient-day, and one evaluation-batch row, V9): "
                    + "%,.0f rows/s = %.2f× the bare table.", copyRate, copyRate / bareCopyRate);
            report.line("- Naive (one autocommitted INSERT per message, Mosquitto): %,.0f msg/s over a drain of %,d.", naive.rate(), naiveDrain);
            report.line("- Load average at the end (the machine is shared): %s.", loadAverage());
        }
        report.publish("ingest");
        return 0;
    }

    private BrokerRun onBroker(IngestRig rig, Phases phases) throws Exception {
        BenchDatabase db = rig.db();
        IngestTier tier = rig.tier();
        String on = " (" + phases.brokerKind().label + ")";
        // JIT and connection pool warm-up for ingest, not reported: the first batches of a cold JVM take seconds.
        phases.live("ingest warm-up, not reported" + on, new IngestSubscriber(tier), 3000, Duration.ofSeconds(5), 0);
        rig.truncate();
        Phases.Result reference = phases.live("reference (count + ack), live, publisher unpaced", new CountingSubscriber(), 0, referenceDuration, 0);
        double rate = reference.rate();
        rig.truncate();
        IngestSubscriber ingestLiveSubscriber = new IngestSubscriber(tier);
        Phases.Result ingestLive = phases.live("ingest, live, publisher paced at the reference rate", ingestLiveSubscriber, rate, liveDuration, 0);
        Rows liveRows = rows(db);
        rig.truncate();
        double halfRate = latencyLoad * Math.min(rate, ingestLive.rate());
        Latency latency = latency(rig, phases, on, halfRate);
        rig.truncate();

        Phases.Result referenceDrain = phases.drain("reference (count + ack), drain", new CountingSubscriber(), drain, Duration.ofSeconds(60 + drain / 2_000));
        IngestSubscriber ingestDrainSubscriber = new IngestSubscriber(tier);
        Phases.Result ingestDrain = phases.drain("ingest, drain", ingestDrainSubscriber, drain, Duration.ofSeconds(60 + drain / 2_000));
        Rows drainRows = rows(db);
        rig.truncate();
        return new BrokerRun(phases.brokerKind(), reference, ingestLive, liveRows, halfRate, latency, referenceDrain, ingestDrain, drainRows,
                ingestLiveSubscriber.diagnostics(), ingestDrainSubscriber.diagnostics());
    }

    /** The latency phase's figures; {@code leftovers}: readings redelivered from its warm-up, left out of the rest. */
    private record Latency(Phases.Result run, Rows rows, long leftovers, Percentiles committed, Percentiles committedSteady, Percentiles received,
                           String firstSeconds, String waits, String diagnostics, Percentiles visibleInIngest, Percentiles batchWait) {
    }

    /**
     * Publish → committed at {@code rate}, on a broker first warmed for {@link #pathWarmUp} by ingest at the same rate: on
     * the embedded broker, broker and ingest share this JVM, and the phases before leave its compiled code shaped for other
     * subscribers (JFR, 2026-12-08: HiveMQ's queue delivery and pgjdbc's bind path recompiled by C2 in a new phase's first
     * seconds, up to 0.9 s a method on one of the 2 cores), which a practice's long-running broker does not go through.
     */
    private Latency latency(IngestRig rig, Phases phases, String on, double rate) throws Exception {
        BenchDatabase db = rig.db();
        IngestTier tier = rig.tier();
        try (PhaseBroker broker = phases.startBroker()) {
            if (!pathWarmUp.isZero()) {
                phases.live("ingest, warm-up of the latency phase's broker, not reported" + on, new IngestSubscriber(tier), rate, pathWarmUp, 0,
                        Duration.ZERO, broker);
                rig.truncate();
            }
            if (!settleAfterTruncate.isZero()) {
                // TRUNCATE cuts the previous phase's files to nothing at commit and unlinks them at the next checkpoint; on
                // this machine's ext4, mounted with online discard, that work stalls WAL flushes for a few seconds.
                db.execute("CHECKPOINT");
                Thread.sleep(settleAfterTruncate.toMillis());
            }
            try (CommitWatcher watcher = noCommitWatcher ? null : new CommitWatcher(db, "ingest.reading", "bench_reading");
                 WaitSampler sampler = sampleWaitsEveryMillis > 0 ? new WaitSampler(db, sampleWaitsEveryMillis) : null) {
                IngestSubscriber subscriber = new IngestSubscriber(tier);
                Phases.Result run = phases.live("ingest, latency at " + Math.round(latencyLoad * 100) + "% of its live rate", subscriber, rate,
                        latencyDuration, 0, publisherWarmUp, broker);
                Thread.sleep(300);
                String waits = sampler == null ? null : sampler.describe(8);
                // A warm-up reading whose acknowledgement the broker had not taken when ingest stopped comes again here
                // (and is stored anew after the TRUNCATE); by its measured_at it is not this phase's.
                long since = run.publisher().firstPublishMillis();
                long leftovers = db.count("SELECT count(*) FROM ingest.reading WHERE NOT (" + measuredFrom(since) + ")");
                ReadingLatencies latencies = readingLatencies(db, watcher, since);
                return new Latency(run, rows(db, since), leftovers, Percentiles.of(latencies.committed()), Percentiles.of(latencies.committedSteady()),
                        Percentiles.of(latencies.received()), firstSeconds(latencies), waits, subscriber.diagnostics(), subscriber.visible(),
                        subscriber.batchWait());
            }
        }
    }

    private static void row(Report report, Phases.Result r, Phases.Result reference, Rows rows) {
        report.line("| %s | %,d | %,d%s | %,.0f | %s | %.1f | %.1f | %.1f | %.1f | %s |", r.name(), r.publisher().acked(), r.consumed(),
                r.complete() ? "" : " (incomplete)", r.rate(),
                reference == null || reference == r ? (reference == r ? "1.00× (reference)" : "–") : String.format("%.2f×", r.rate() / reference.rate()),
                r.micros(r.selfCpuNanos()), r.micros(r.brokerCpuNanos()), r.micros(r.databaseCpuNanos()), r.micros(r.publisher().cpuNanos()),
                rows == null ? "–" : rows.describe(r.publisher().acked()));
    }

    /** Rows in ingest.reading against what the broker acknowledged: stored, lost, stored twice. */
    record Rows(long stored, long distinct, long queued, long deadLetters) {
        String describe(long acked) {
            return String.format("%,d / %,d / %,d%s", stored, Math.max(0, acked - distinct), stored - distinct,
                    deadLetters > 0 ? String.format(" (%d dead letters)", deadLetters) : "");
        }
    }

    static Rows rows(BenchDatabase db) throws SQLException {
        return rows(db, 0);
    }

    /** Only readings measured from {@code sinceMillis} on (publish time; the dead letters and queue rows all). */
    static Rows rows(BenchDatabase db, long sinceMillis) throws SQLException {
        String since = " WHERE " + measuredFrom(sinceMillis);
        return new Rows(db.count("SELECT count(*) FROM ingest.reading" + since),
                db.count("SELECT count(DISTINCT (device_id, type, measured_at)) FROM ingest.reading" + since),
                db.count("SELECT count(*) FROM ingest.evaluation_queue"),
                db.count("SELECT count(*) FROM ingest.dead_letter"));
    }

    /** The SQL condition on ingest.reading: measured (for the benchmark's publisher, published) from {@code sinceMillis} on. */
    private static String measuredFrom(long sinceMillis) {
        return "measured_at >= to_timestamp(" + sinceMillis + " / 1000.0)";
    }

    /** How the publisher paces (LoadPublisher reads the same variable). */
    private static String paceTick() {
        String tick = System.getenv(LoadPublisher.PACE_TICK_ENV);
        tick = tick == null || tick.isBlank() ? LoadPublisher.DEFAULT_PACE_TICK_MS : tick.trim();
        return tick.equals("0") ? "once per message (" + LoadPublisher.PACE_TICK_ENV + "=0)" : "once per " + tick + " ms tick";
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static String serverSettings(BenchDatabase db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('server_version'), current_setting('fsync'), current_setting('synchronous_commit')")) {
            rs.next();
            return rs.getString(1) + " on 127.0.0.1 (fsync " + rs.getString(2) + ", synchronous_commit " + rs.getString(3) + ")";
        }
    }

    /**
     * The latency phase's readings, in milliseconds: publish → committed and publish → received for each reading with a
     * commit notification (same order; {@code offsets} is each one's publish time after the phase's first reading),
     * publish → committed after the first 5 s, and publish → received of every reading.
     */
    private record ReadingLatencies(double[] committed, double[] receivedCommitted, double[] offsets, double[] committedSteady,
                                    double[] received) {
    }

    /** Readings measured from {@code sinceMillis} on; {@code watcher} null: no commit times, only publish → received. */
    private static ReadingLatencies readingLatencies(BenchDatabase db, CommitWatcher watcher, long sinceMillis) throws SQLException {
        List<Double> committed = new ArrayList<>();
        List<Double> received = new ArrayList<>();
        List<Double> steady = new ArrayList<>();
        List<Double> offsets = new ArrayList<>();
        List<Double> receivedCommitted = new ArrayList<>();
        long missing = 0;
        String since = " WHERE " + measuredFrom(sinceMillis);
        long firstMeasured = db.count("SELECT (extract(epoch FROM min(measured_at)) * 1000)::bigint FROM ingest.reading" + since);
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT xmin::text::bigint, (extract(epoch FROM measured_at) * 1000)::bigint, "
                     + "extract(epoch FROM received_at) * 1000 FROM ingest.reading" + since)) {
            while (rs.next()) {
                Long at = watcher == null ? null : watcher.commitMillis(rs.getLong(1));
                long measured = rs.getLong(2);
                received.add(rs.getDouble(3) - measured);
                if (at == null) {
                    missing++;
                } else {
                    committed.add((double) (at - measured));
                    offsets.add((double) (measured - firstMeasured));
                    receivedCommitted.add(rs.getDouble(3) - measured);
                    if (measured >= firstMeasured + 5_000) {
                        steady.add((double) (at - measured));
                    }
                }
            }
        }
        if (missing > 0 && watcher != null) {
            System.err.println("No commit notification for " + missing + " readings");
        }
        return new ReadingLatencies(array(committed), array(receivedCommitted), array(offsets), array(steady), array(received));
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Where in the phase the tail is (issue 19's spike in the first seconds): for each of the first 8 seconds by publish
     * time, the p99 and max of publish → received and of publish → committed, so a tail before ingest (publisher,
     * broker) can be told from one in ingest's writes.
     */
    private static String firstSeconds(ReadingLatencies latencies) {
        StringBuilder out = new StringBuilder();
        for (int second = 0; second < 8; second++) {
            List<Double> received = new ArrayList<>();
            List<Double> committed = new ArrayList<>();
            for (int i = 0; i < latencies.offsets().length; i++) {
                if ((int) (latencies.offsets()[i] / 1000) == second) {
                    received.add(latencies.receivedCommitted()[i]);
                    committed.add(latencies.committed()[i]);
                }
            }
            Percentiles r = Percentiles.of(received.stream().mapToDouble(Double::doubleValue).toArray());
            Percentiles c = Percentiles.of(committed.stream().mapToDouble(Double::doubleValue).toArray());
            out.append(out.length() == 0 ? "" : "; ").append(String.format("s%d (n %d) %.0f/%.0f; %.0f/%.0f", second, r.count(), r.p99(), r.max(), c.p99(), c.max()));
        }
        return out.toString();
    }
}
