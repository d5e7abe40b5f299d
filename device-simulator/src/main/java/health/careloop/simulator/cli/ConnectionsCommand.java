package health.careloop.simulator.cli;

import health.careloop.simulator.devices.SimulatedDevice;
import health.careloop.simulator.fleet.ConnectionsReport;
import health.careloop.simulator.fleet.ConnectionsRun;
import health.careloop.simulator.fleet.FleetSettings;
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

@Command(name = "connections", mixinStandardHelpOptions = true,
        description = {"Open one MQTT connection per device (client id and username = device id, --device-password), "
                + "hold them all while each device publishes its readings at a device's pace, then close.",
                "Reports connections reached and held, connect rate, refusals by reason, publishes acknowledged (and "
                        + "received, with --count-received), and this process's threads and memory.",
                "Uses Vert.x's MQTT client (a few event loops for all connections) instead of Paho (3-4 threads each)."})
final class ConnectionsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--rate", defaultValue = "1000",
            description = "messages per second of all devices together, each device every (devices / rate) s; 0 for none (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--duration", defaultValue = "PT60S",
            description = "how long to hold the connections once connecting ended (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--qos", defaultValue = "1", description = "MQTT QoS 0, 1 or 2 (default: ${DEFAULT-VALUE})")
    int qos;

    @Option(names = "--connect-concurrency", defaultValue = "64", description = "connect attempts in flight (default: ${DEFAULT-VALUE})")
    int connectConcurrency;

    @Option(names = "--connect-attempts", defaultValue = "5",
            description = "attempts per device, with a doubling backoff from 200 ms to 5 s, before it counts as failed (default: ${DEFAULT-VALUE})")
    int connectAttempts;

    @Option(names = "--connect-timeout", defaultValue = "PT10S", description = "from opening the socket to CONNACK (default: ${DEFAULT-VALUE})")
    Duration connectTimeout;

    @Option(names = "--connect-deadline", defaultValue = "PT3M",
            description = "start the hold after this long even if some devices are still connecting (default: ${DEFAULT-VALUE})")
    Duration connectDeadline;

    @Option(names = "--event-loops", defaultValue = "2", description = "Vert.x event loops for all connections (default: ${DEFAULT-VALUE})")
    int eventLoops;

    @Option(names = "--count-received",
            description = "also subscribe to rpm/v1/devices/+/readings (QoS 1, clean session) and count what arrives from this run's devices")
    boolean countReceived;

    @Override
    public Integer call() throws Exception {
        if (eventLoops < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--event-loops must be positive");
        }
        FleetSettings settings;
        try {
            settings = FleetSettings.forBroker(common.broker, common.devicePassword, qos, rate)
                    .withConnecting(connectConcurrency, connectAttempts, connectTimeout);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        RunContext context = new RunContext(common, System.out);
        Instant now = Clock.systemUTC().instant();
        List<SimulatedPatient> patients = context.patients(now.atZone(context.zone()).toLocalDate(), 1);
        List<SimulatedDevice> devices = patients.stream().flatMap(p -> p.devices().stream()).toList();
        context.registerIfAsked(patients, now.minus(Duration.ofDays(1)));
        System.out.printf("connections: %d devices, %d connects in flight, %s msg/s for %s once connected, QoS %d%n",
                devices.size(), connectConcurrency, rate > 0 ? String.format("%.0f", rate) : "no", duration, qos);
        ConnectionsReport report = new ConnectionsRun(settings, devices, context.zone(), common.seed, eventLoops,
                connectDeadline, duration, countReceived, common.idPrefix + "-").run(System.out);
        System.out.println(report.describe());
        context.put("mode", "connections");
        context.put("connections", report);
        context.writeReportIfAsked();
        return report.clean() ? 0 : SimulatorCommand.EXIT_PUBLISH_FAILURES;
    }
}
