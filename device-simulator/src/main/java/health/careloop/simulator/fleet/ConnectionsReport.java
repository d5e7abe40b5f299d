package health.careloop.simulator.fleet;

import java.util.stream.Collectors;

/**
 * @param connectedAtSettle connections open when every device was connected or gave up (or at the connect deadline)
 * @param connectSeconds    from the first attempt until then
 * @param held              connections still open at the end of the hold
 * @param publishPeriodMs   each device's interval between two publishes
 * @param sentInHold        publishes during the hold, when every device that could connect was connected
 * @param received          messages of this run's devices a subscriber received; -1 when not counted
 * @param devicesHeard      distinct devices the subscriber heard from; -1 when not counted
 * @param footprint         this process at the end of the hold, after a full GC
 */
public record ConnectionsReport(int devices, ConnectCounts.ConnectReport connects, int connectedAtSettle,
                                double connectSeconds, int held, double holdSeconds, int qos, double targetRate,
                                long publishPeriodMs, long sent, long acknowledged, long publishFailures,
                                long unacknowledged, long sentInHold, long acknowledgedInHold, long received,
                                int devicesHeard, int eventLoops, ProcessFootprint footprint, long peakRssMb,
                                int peakThreads) {

    /** Every device connected and stayed connected, and every publish was acknowledged. */
    public boolean clean() {
        return connects.failed() == 0 && held == devices && publishFailures == 0 && unacknowledged == 0;
    }

    public String describe() {
        String refusals = connects.refusals().isEmpty() ? "none" : connects.refusals().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return String.format(
                "devices %d: connected %d in %.1f s (%.0f connects/s), peak open %d, held %d for %.0f s; "
                        + "attempts %d, retried %d, gave up %d, lost %d; failed attempts by reason: %s%s%n"
                        + "published (QoS %d, one reading every %.1f s per device, target %.0f msg/s): sent %d, "
                        + "acknowledged %d, failed %d, unacknowledged %d; during the hold %.0f msg/s sent, %.0f acknowledged%s%n"
                        + "this process (%d event loops): %s after a full GC; peak RSS %d MB, peak threads %d",
                devices, connectedAtSettle, connectSeconds, connectedAtSettle / connectSeconds, connects.peakOpen(),
                held, holdSeconds, connects.attempts(), connects.retried(), connects.failed(), connects.lost(), refusals,
                connects.failedExamples().isEmpty() ? "" : " (gave up, first ones: " + String.join(", ", connects.failedExamples()) + ")",
                qos, publishPeriodMs / 1000.0, targetRate, sent, acknowledged, publishFailures, unacknowledged,
                sentInHold / holdSeconds, acknowledgedInHold / holdSeconds,
                received < 0 ? "" : String.format("; received by a subscriber %d from %d devices", received, devicesHeard),
                eventLoops, footprint.describe(), peakRssMb, peakThreads);
    }
}
