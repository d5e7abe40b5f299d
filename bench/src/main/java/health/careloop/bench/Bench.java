package health.careloop.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * CareLoop's benchmarks (issue 8). Each runs against a private Mosquitto on 127.0.0.1 and a fresh database on the
 * machine's PostgreSQL, stops by itself, and reports every figure next to a reference measured in the same run.
 * Run them with scripts/bench.sh.
 */
@Command(name = "careloop-bench", mixinStandardHelpOptions = true,
        subcommands = {IngestBenchmark.class, AlertLatencyBenchmark.class, MonthCloseBenchmark.class, ApiLatencyBenchmark.class,
                SoakBenchmark.class, CatchUpBenchmark.class, StorageBenchmark.class, FhirBenchmark.class, MissedReadingsBenchmark.class,
                LoadPublisher.class})
public final class Bench implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
