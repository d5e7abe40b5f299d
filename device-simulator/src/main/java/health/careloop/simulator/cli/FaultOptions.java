package health.careloop.simulator.cli;

import health.careloop.simulator.faults.FaultPlan;
import picocli.CommandLine.Option;

import java.time.Duration;

/** Faults to inject; all off unless asked for. */
final class FaultOptions {
    @Option(names = "--duplicates", defaultValue = "0", paramLabel = "FRACTION", description = "readings sent twice")
    double duplicates;

    @Option(names = "--malformed", defaultValue = "0", paramLabel = "FRACTION",
            description = "readings replaced by a payload breaking the contract (not JSON, missing field, unknown type, wrong unit)")
    double malformed;

    @Option(names = "--implausible", defaultValue = "0", paramLabel = "FRACTION", description = "readings replaced by an implausible value")
    double implausible;

    @Option(names = "--offline-devices", defaultValue = "0", paramLabel = "FRACTION",
            description = "devices that go offline, buffer and then send an array payload")
    double offlineDevices;

    @Option(names = "--offline-days", defaultValue = "3", description = "how long an offline device stays offline (default: ${DEFAULT-VALUE})")
    int offlineDays;

    @Option(names = "--skewed-devices", defaultValue = "0", paramLabel = "FRACTION", description = "devices whose clock runs ahead")
    double skewedDevices;

    @Option(names = "--clock-skew", defaultValue = "PT3H", description = "how far skewed clocks run ahead (default: ${DEFAULT-VALUE})")
    Duration clockSkew;

    FaultPlan plan() {
        return new FaultPlan(duplicates, malformed, implausible, offlineDevices, skewedDevices, clockSkew, offlineDays);
    }
}
