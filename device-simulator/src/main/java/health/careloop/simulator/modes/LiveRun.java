package health.careloop.simulator.modes;

import health.careloop.simulator.devices.SimulatedDevice;
import health.careloop.simulator.faults.FaultInjector;
import health.careloop.simulator.faults.FaultPlan;
import health.careloop.simulator.faults.OutgoingMessage;
import health.careloop.simulator.physiology.ReadingSchedule;
import health.careloop.simulator.physiology.SimulatedPatient;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Sends readings when they are measured, in simulated time. Readings are generated an hour of simulated time
 * ahead, so a run can go on for as long as it is let.
 */
public final class LiveRun {
    private static final Duration GENERATION_STEP = Duration.ofHours(1);
    private static final Duration LONGEST_SLEEP = Duration.ofMillis(500);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

    private final List<SimulatedPatient> patients;
    private final SimulationClock clock;
    private final Instant simEnd;
    private final FaultInjector injector;
    private final PriorityQueue<OutgoingMessage> queue = new PriorityQueue<>(OutgoingMessage.BY_SEND_TIME);
    private Instant generatedUntil;

    /**
     * @param simEnd end of the run in simulated time; null to run until interrupted
     * @param spanDays length in days over which offline-device faults are spread
     */
    public LiveRun(List<SimulatedPatient> patients, SimulationClock clock, Instant simEnd, FaultPlan faults, long seed,
                   int spanDays) {
        this.patients = patients;
        this.clock = clock;
        this.simEnd = simEnd;
        List<SimulatedDevice> devices = patients.stream().flatMap(p -> p.devices().stream()).toList();
        this.injector = new FaultInjector(seed, faults, devices, clock.simStart(), spanDays);
        this.generatedUntil = clock.simStart();
    }

    public SendCounts.SendReport run(MessageSender sender, SendCounts counts, PrintStream out, Duration ackTimeout)
            throws InterruptedException {
        long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
        while (simEnd == null || clock.now().isBefore(simEnd)) {
            generateAhead();
            OutgoingMessage next = queue.peek();
            if (next != null && !next.sendAt().isAfter(clock.now())) {
                sender.send(queue.poll());
                continue;
            }
            Instant wakeAt = next == null ? generatedUntil : next.sendAt();
            long sleepMs = Math.min(clock.realWaitUntil(wakeAt).toMillis(), LONGEST_SLEEP.toMillis());
            Thread.sleep(Math.max(1, sleepMs));
            if (System.nanoTime() > nextProgress) {
                out.printf("simulated %s: %s%n", clock.now(), counts.snapshot().describe());
                nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
            }
        }
        queue.stream().filter(m -> !m.sendAt().isAfter(simEnd)).sorted(OutgoingMessage.BY_SEND_TIME).forEach(sender::send);
        // Devices still offline come back at the end and send what they buffered.
        injector.finish(simEnd).forEach(sender::send);
        if (!sender.awaitAcknowledgements(ackTimeout)) {
            out.println("some publishes were still unacknowledged after " + ackTimeout + "; they are not counted");
        }
        return counts.snapshot();
    }

    private void generateAhead() {
        Instant horizon = clock.now().plus(GENERATION_STEP);
        while (generatedUntil.isBefore(horizon) && (simEnd == null || generatedUntil.isBefore(simEnd))) {
            Instant to = generatedUntil.plus(GENERATION_STEP);
            if (simEnd != null && to.isAfter(simEnd)) {
                to = simEnd;
            }
            queue.addAll(injector.messages(ReadingSchedule.readings(patients, generatedUntil, to), to));
            generatedUntil = to;
        }
    }
}
