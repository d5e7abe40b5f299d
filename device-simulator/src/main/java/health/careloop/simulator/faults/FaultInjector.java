package health.careloop.simulator.faults;

import health.careloop.simulator.devices.Reading;
import health.careloop.simulator.devices.ReadingJson;
import health.careloop.simulator.devices.SimulatedDevice;
import health.careloop.simulator.physiology.DerivedSeed;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns readings into the messages devices send, with the faults of a {@link FaultPlan}. Decisions are seeded per
 * device and per reading, so they do not depend on how a run is cut into pieces; buffered readings of an offline
 * device carry over from one {@link #messages} call to the next.
 */
public final class FaultInjector {
    private static final long DEVICE_STREAM = 40;
    private static final long READING_STREAM = 41;

    private final long seed;
    private final FaultPlan plan;
    private final Map<String, OfflineSpan> offline = new HashMap<>();
    private final Map<String, Boolean> skewed = new HashMap<>();
    private final Map<String, List<Reading>> buffered = new LinkedHashMap<>();

    private record OfflineSpan(Instant from, Instant to) {
        boolean covers(Instant t) {
            return !t.isBefore(from) && t.isBefore(to);
        }
    }

    /**
     * @param start    start of the simulated period; offline spans fall inside it
     * @param spanDays its length in days
     */
    public FaultInjector(long seed, FaultPlan plan, List<SimulatedDevice> devices, Instant start, int spanDays) {
        this.seed = seed;
        this.plan = plan;
        for (SimulatedDevice device : devices) {
            SplittableRandom random = DerivedSeed.random(seed, DEVICE_STREAM, device.deviceId().hashCode());
            boolean goesOffline = random.nextDouble() < plan.offlineDeviceFraction();
            long latestStartHours = Math.max(1, (spanDays - plan.offlineDays()) * 24L - 12);
            Instant from = start.plus(Duration.ofHours(12 + random.nextLong(latestStartHours)));
            boolean skew = random.nextDouble() < plan.skewedDeviceFraction();
            if (goesOffline) {
                offline.put(device.deviceId(), new OfflineSpan(from, from.plus(Duration.ofDays(plan.offlineDays()))));
            } else if (skew) {
                // One fault per device keeps the expected counts unambiguous.
                skewed.put(device.deviceId(), true);
            }
        }
    }

    /** Messages for readings measured up to {@code end}, including batches of devices back online by then. */
    public List<OutgoingMessage> messages(List<Reading> readings, Instant end) {
        List<OutgoingMessage> messages = new ArrayList<>();
        for (Reading reading : readings) {
            Instant at = reading.measuredAt().toInstant();
            OfflineSpan span = offline.get(reading.deviceId());
            if (span != null && span.covers(at)) {
                buffered.computeIfAbsent(reading.deviceId(), k -> new ArrayList<>()).add(reading);
            } else if (skewed.containsKey(reading.deviceId())) {
                Reading shifted = reading.withMeasuredAt(reading.measuredAt().plus(plan.clockSkew()));
                messages.add(new OutgoingMessage(reading.deviceId(), ReadingJson.payload(shifted), at,
                        MessageKind.SKEWED, 1, shifted.measuredAt().toInstant()));
            } else {
                addWithReadingFaults(reading, at, messages);
            }
        }
        flushBatches(end, false, messages);
        messages.sort(OutgoingMessage.BY_SEND_TIME);
        return messages;
    }

    /** Batches still buffered when the run ends: the devices come back online at {@code end}. */
    public List<OutgoingMessage> finish(Instant end) {
        List<OutgoingMessage> messages = new ArrayList<>();
        flushBatches(end, true, messages);
        messages.sort(OutgoingMessage.BY_SEND_TIME);
        return messages;
    }

    private void addWithReadingFaults(Reading reading, Instant at, List<OutgoingMessage> messages) {
        SplittableRandom random = DerivedSeed.random(seed, READING_STREAM, reading.deviceId().hashCode(),
                reading.measuredAt().toEpochSecond());
        double u = random.nextDouble();
        boolean duplicate = random.nextDouble() < plan.duplicateFraction();
        if (u < plan.malformedFraction()) {
            messages.add(single(reading, FaultyPayloads.malformed(reading, random), at, MessageKind.MALFORMED));
        } else if (u < plan.malformedFraction() + plan.implausibleFraction()) {
            messages.add(single(reading, FaultyPayloads.implausible(reading), at, MessageKind.IMPLAUSIBLE));
        } else {
            byte[] payload = ReadingJson.payload(reading);
            messages.add(single(reading, payload, at, MessageKind.READING));
            if (duplicate) {
                // The device missed the acknowledgement and sends again a little later.
                Instant retry = at.plus(Duration.ofSeconds(30 + random.nextInt(600)));
                messages.add(single(reading, payload, retry, MessageKind.DUPLICATE));
            }
        }
    }

    private static OutgoingMessage single(Reading reading, byte[] payload, Instant sendAt, MessageKind kind) {
        return new OutgoingMessage(reading.deviceId(), payload, sendAt, kind, 1, reading.measuredAt().toInstant());
    }

    private void flushBatches(Instant end, boolean all, List<OutgoingMessage> messages) {
        var it = buffered.entrySet().iterator();
        while (it.hasNext()) {
            var entry = it.next();
            OfflineSpan span = offline.get(entry.getKey());
            if (!all && span.to().isAfter(end)) {
                continue;
            }
            Instant sendAt = span.to().isAfter(end) ? end : span.to();
            List<Reading> readings = entry.getValue();
            for (int i = 0; i < readings.size(); i += ReadingJson.MAX_BATCH) {
                List<Reading> chunk = readings.subList(i, Math.min(readings.size(), i + ReadingJson.MAX_BATCH));
                messages.add(new OutgoingMessage(entry.getKey(), ReadingJson.batchPayload(chunk), sendAt,
                        MessageKind.BATCH, chunk.size(), chunk.get(chunk.size() - 1).measuredAt().toInstant()));
            }
            it.remove();
        }
    }
}
