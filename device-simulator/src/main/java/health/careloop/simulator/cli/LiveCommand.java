package health.careloop.simulator.cli;

import health.careloop.simulator.modes.LiveRun;
import health.careloop.simulator.modes.MessageSender;
import health.careloop.simulator.modes.SendCounts;
import health.careloop.simulator.modes.SimulationClock;
import health.careloop.simulator.mqtt.DeviceConnections;
import health.careloop.simulator.physiology.SimulatedPatient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "live", mixinStandardHelpOptions = true,
        description = {"Publish readings when the patients take them.",
                "With --speed N > 1 simulated time runs N times faster, starting far enough in the past "
                        + "to reach the present when --duration ends, so no reading is in the future."})
final class LiveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Mixin
    FaultOptions faults;

    @Option(names = "--speed", defaultValue = "1", description = "simulated seconds per real second (default: ${DEFAULT-VALUE})")
    double speed;

    @Option(names = "--duration", description = "real time to run, e.g. PT10M; without it, until interrupted (needs --speed 1)")
    Duration duration;

    @Option(names = "--ack-timeout", defaultValue = "PT30S", description = "how long to wait for the last acknowledgements (default: ${DEFAULT-VALUE})")
    Duration ackTimeout;

    @Override
    public Integer call() throws Exception {
        if (speed < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--speed must be 1 or more");
        }
        if (speed > 1 && duration == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--speed above 1 needs --duration");
        }
        RunContext context = new RunContext(common, System.out);
        Clock real = Clock.systemUTC();
        SimulationClock clock = duration == null
                ? new SimulationClock(real, real.instant(), 1)
                : SimulationClock.catchingUpWithNow(real, duration, speed);
        Instant simEnd = duration == null ? null : clock.simStart().plus(clock.simDurationOf(duration));
        int spanDays = duration == null ? 30 : (int) Math.max(1, clock.simDurationOf(duration).toDays());
        List<SimulatedPatient> patients = context.patients(clock.simStart().atZone(context.zone()).toLocalDate(), spanDays);
        context.registerIfAsked(patients, clock.simStart().minus(Duration.ofDays(1)));
        System.out.printf("live from %s%s at %.0fx%n", clock.simStart(), simEnd == null ? "" : " to " + simEnd, speed);

        SendCounts counts = new SendCounts();
        Thread printer = new Thread(() -> System.out.println("interrupted: " + counts.snapshot().describe()));
        Runtime.getRuntime().addShutdownHook(printer);
        try (DeviceConnections connections = context.connect(1)) {
            MessageSender sender = new MessageSender(connections, counts, real);
            new LiveRun(patients, clock, simEnd, faults.plan(), common.seed, spanDays).run(sender, counts, System.out, ackTimeout);
        }
        Runtime.getRuntime().removeShutdownHook(printer);
        SendCounts.SendReport report = counts.snapshot();
        System.out.println(report.describe());
        context.put("mode", "live");
        context.put("speed", speed);
        context.put("counts", report);
        context.writeReportIfAsked();
        return report.failedMessages() == 0 ? 0 : SimulatorCommand.EXIT_PUBLISH_FAILURES;
    }
}
