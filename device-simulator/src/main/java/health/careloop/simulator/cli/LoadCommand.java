package health.careloop.simulator.cli;

import health.careloop.simulator.devices.SimulatedDevice;
import health.careloop.simulator.modes.LoadRun;
import health.careloop.simulator.mqtt.DeviceConnections;
import health.careloop.simulator.mqtt.MqttLink;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Publish valid readings as fast as asked and report sent, acknowledged, failed, achieved rate "
                + "and publish-to-acknowledgement latency percentiles.",
                "Each device's k-th reading is measured k+1 seconds before the run: give each run its own --id-prefix "
                        + "when the stored count must match."})
final class LoadCommand implements Callable<Integer> {
    /** Paho connects in flight with --per-device-credentials; each Paho client still keeps 3-4 threads. */
    private static final int PER_DEVICE_CONNECTS = 32;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--rate", defaultValue = "1000", description = "target messages per second, 0 for no limit (default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--duration", defaultValue = "PT30S", description = "how long to send (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--qos", defaultValue = "1", description = "MQTT QoS 0, 1 or 2 (default: ${DEFAULT-VALUE})")
    int qos;

    @Option(names = "--ack-timeout", defaultValue = "PT30S", description = "how long to wait for the last acknowledgements (default: ${DEFAULT-VALUE})")
    Duration ackTimeout;

    @Override
    public Integer call() throws Exception {
        if (qos < 0 || qos > 2) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--qos is 0, 1 or 2");
        }
        RunContext context = new RunContext(common, System.out);
        Instant now = Clock.systemUTC().instant();
        List<SimulatedPatient> patients = context.patients(now.atZone(context.zone()).toLocalDate(), 1);
        List<SimulatedDevice> devices = patients.stream().flatMap(p -> p.devices().stream()).toList();
        // Readings go back one second per message per device; a month covers any sensible run.
        context.registerIfAsked(patients, now.minus(Duration.ofDays(30)));
        LoadRun.LoadReport report;
        try (DeviceConnections connections = context.connect(qos)) {
            List<MqttLink> links = new ArrayList<>();
            if (common.perDeviceCredentials) {
                links.addAll(connections.forDevices(devices.stream().map(SimulatedDevice::deviceId).toList(), PER_DEVICE_CONNECTS));
            } else {
                links.addAll(connections.shared());
            }
            System.out.printf("load: %s msg/s for %s over %d connections, QoS %d%n",
                    rate > 0 ? String.format("%.0f", rate) : "unlimited", duration, links.size(), qos);
            report = new LoadRun(devices, context.zone(), rate, duration, qos, common.seed).run(links, ackTimeout);
        }
        System.out.println(report.describe());
        context.put("mode", "load");
        context.put("load", report);
        context.writeReportIfAsked();
        return report.failed() + report.unacknowledged() == 0 ? 0 : SimulatorCommand.EXIT_PUBLISH_FAILURES;
    }
}
