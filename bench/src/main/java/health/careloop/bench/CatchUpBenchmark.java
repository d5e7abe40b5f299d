package health.careloop.bench;

import health.careloop.ingest.config.IngestConfig;
import health.careloop.ingest.IngestTier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Catch-up after an ingest outage (issue 8): devices keep sending at {@code --rate} while ingest is down for
 * {@code --outage}; ingest then drains the queued backlog while readings keep arriving. The reference, measured in the
 * same run, is PostgreSQL alone writing the same backlog on ingest's duplicate-safe COPY path: the fastest catch-up the
 * database allows would be backlog ÷ (that rate − arrival rate).
 */
@Command(name = "catch-up", mixinStandardHelpOptions = true, description = "Catch-up time after an ingest outage under steady load")
final class CatchUpBenchmark implements Callable<Integer> {
    @Option(names = "--devices", defaultValue = "1000", description = "patients with one cuff each (default: ${DEFAULT-VALUE})")
    int devices;
    @Option(names = "--rate", defaultValue = "1000", description = "readings per second throughout (default: ${DEFAULT-VALUE})")
    double rate;
    @Option(names = "--outage", defaultValue = "PT10M", description = "how long ingest is away (default: ${DEFAULT-VALUE}; PT1H for the issue's hour)")
    Duration outage;
    @Option(names = "--within", defaultValue = "PT15M", description = "longest wait for ingest to catch up (default: ${DEFAULT-VALUE})")
    Duration within;

    @Override
    public Integer call() throws Exception {
        Report report = new Report("Catch-up after an ingest outage");
        try (IngestRig rig = IngestRig.open(devices)) {
            IngestConfig config = rig.config();
            IngestTier tier = rig.tier();
            Phases phases = rig.phases();
            IngestSubscriber subscriber = new IngestSubscriber(tier);
            Phases.CatchUp catchUp = phases.catchUp("ingest, catch-up", subscriber, rate, outage, within);
            IngestBenchmark.Rows rows = IngestBenchmark.rows(rig.db());
            rig.truncate();
            double copyRate = DatabaseCeiling.copyThenInsert(rig.db(), catchUp.backlog(), DatabaseCeiling.Shape.WITH_SIDE_WRITES);

            Phases.Result r = catchUp.result();
            double backlogSeconds = catchUp.backlog() / rate;
            double ideal = catchUp.backlog() / (copyRate - rate);
            report.line("Storage mode %s; ingest batch ≤ %d readings, in-flight bound %d; %d patients with one cuff each; publisher: "
                            + "separate JVM, %d Paho connections, QoS 1, paced at %.0f readings/s throughout; private Mosquitto 2.0.11.",
                    tier.storageMode(), config.batchSize(), config.maxInFlight(), devices, Phases.CONNECTIONS, rate);
            report.line("");
            report.line("| figure | value |");
            report.line("| --- | --- |");
            report.line("| outage | %s (%,d readings queued, %.0f s of arrivals) |", outage, catchUp.backlog(), backlogSeconds);
            report.line("| caught up (≤ 1 s of arrivals behind) after | %s |", catchUp.caughtUp()
                    ? String.format("**%.1f s**", catchUp.catchUpSeconds()) : "not within " + within);
            report.line("| backlog cleared per second while catching up (on top of the arrivals) | %,.0f readings/s |",
                    catchUp.caughtUp() ? catchUp.backlog() / catchUp.catchUpSeconds() : Double.NaN);
            report.line("| reference: PostgreSQL alone, duplicate-safe COPY of the backlog | %,.0f rows/s → fastest catch-up %.1f s |", copyRate, ideal);
            report.line("| catch-up vs that fastest | %.2f× as long |", catchUp.catchUpSeconds() / ideal);
            report.line("| rows stored / lost / twice | %s |", rows.describe(r.publisher().acked()));
            report.line("| CPU µs per reading: ingest JVM / Mosquitto / PostgreSQL backends | %.1f / %.1f / %.1f |",
                    r.micros(r.selfCpuNanos()), r.micros(r.brokerCpuNanos()), r.micros(r.databaseCpuNanos()));
            report.line("| ingest | %s |", subscriber.diagnostics());
            report.line("");
            if (catchUp.caughtUp()) {
                double perHourBacklog = 3600 * rate;
                report.line("- A one-hour outage at %.0f/s queues %,.0f readings; at this run's net drain rate ingest would catch up in about "
                        + "%.0f s (linear extrapolation; the measured outage was %s).", rate, perHourBacklog,
                        perHourBacklog / (catchUp.backlog() / catchUp.catchUpSeconds()), outage);
            }
        }
        report.publish("catch-up");
        return 0;
    }
}
