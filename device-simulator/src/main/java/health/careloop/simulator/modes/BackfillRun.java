package health.careloop.simulator.modes;

import health.careloop.simulator.devices.Reading;
import health.careloop.simulator.devices.SimulatedDevice;
import health.careloop.simulator.faults.FaultInjector;
import health.careloop.simulator.faults.FaultPlan;
import health.careloop.simulator.faults.OutgoingMessage;
import health.careloop.simulator.physiology.ReadingSchedule;
import health.careloop.simulator.physiology.SimulatedPatient;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes a past window at once, each reading with its original measuredAt, so a fresh CareLoop has a full
 * billing month to show.
 */
public final class BackfillRun {
    private final List<SimulatedPatient> patients;
    private final Instant from;
    private final Instant to;
    private final FaultPlan faults;
    private final long seed;

    public BackfillRun(List<SimulatedPatient> patients, Instant from, Instant to, FaultPlan faults, long seed) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("backfill window is empty");
        }
        this.patients = patients;
        this.from = from;
        this.to = to;
        this.faults = faults;
        this.seed = seed;
    }

    /** The messages of the window in the order devices would have sent them; no I/O. */
    public List<OutgoingMessage> messages() {
        List<SimulatedDevice> devices = patients.stream().flatMap(p -> p.devices().stream()).toList();
        int days = (int) Math.max(1, Duration.between(from, to).toDays());
        FaultInjector injector = new FaultInjector(seed, faults, devices, from, days);
        List<Reading> readings = ReadingSchedule.readings(patients, from, to);
        List<OutgoingMessage> messages = new ArrayList<>(injector.messages(readings, to));
        messages.addAll(injector.finish(to));
        messages.sort(OutgoingMessage.BY_SEND_TIME);
        return messages;
    }

    public SendCounts.SendReport publish(MessageSender sender, SendCounts counts, PrintStream out, Duration ackTimeout)
            throws InterruptedException {
        List<OutgoingMessage> messages = messages();
        out.printf("backfill %s .. %s: %d patients, %d messages%n", from, to, patients.size(), messages.size());
        int progressStep = Math.max(1, messages.size() / 10);
        for (int i = 0; i < messages.size(); i++) {
            sender.send(messages.get(i));
            if ((i + 1) % progressStep == 0) {
                out.printf("  %d/%d published%n", i + 1, messages.size());
            }
        }
        if (!sender.awaitAcknowledgements(ackTimeout)) {
            out.println("some publishes were still unacknowledged after " + ackTimeout + "; they are not counted");
        }
        return counts.snapshot();
    }
}
