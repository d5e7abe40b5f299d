package health.careloop.simulator.cli;

import health.careloop.simulator.modes.BackfillRun;
import health.careloop.simulator.modes.MessageSender;
import health.careloop.simulator.modes.SendCounts;
import health.careloop.simulator.mqtt.DeviceConnections;
import health.careloop.simulator.physiology.SimulatedPatient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = "Publish the past --days (from local midnight) up to now at once, with original measuredAt.")
final class BackfillCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    FaultOptions faults;

    @Option(names = "--days", defaultValue = "30", description = "days to backfill (default: ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--ack-timeout", defaultValue = "PT60S", description = "how long to wait for the last acknowledgements (default: ${DEFAULT-VALUE})")
    Duration ackTimeout;

    @Override
    public Integer call() throws Exception {
        RunContext context = new RunContext(common, System.out);
        Instant now = Clock.systemUTC().instant();
        LocalDate epoch = now.atZone(context.zone()).toLocalDate().minusDays(days);
        Instant from = epoch.atStartOfDay(context.zone()).toInstant();
        List<SimulatedPatient> patients = context.patients(epoch, days);
        // A day of slack before the first reading, as the assignment must cover every backfilled measuredAt.
        context.registerIfAsked(patients, from.minus(Duration.ofDays(1)));
        SendCounts counts = new SendCounts();
        try (DeviceConnections connections = context.connect(1)) {
            MessageSender sender = new MessageSender(connections, counts, Clock.systemUTC());
            new BackfillRun(patients, from, now, faults.plan(), common.seed).publish(sender, counts, System.out, ackTimeout);
        }
        SendCounts.SendReport report = counts.snapshot();
        System.out.println(report.describe());
        context.put("mode", "backfill");
        context.put("from", from.toString());
        context.put("to", now.toString());
        context.put("counts", report);
        context.writeReportIfAsked();
        return report.failedMessages() == 0 ? 0 : SimulatorCommand.EXIT_PUBLISH_FAILURES;
    }
}
