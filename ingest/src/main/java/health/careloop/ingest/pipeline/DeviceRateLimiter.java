package health.careloop.ingest.pipeline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import health.careloop.ingest.payload.DecodedMessage;
import health.careloop.ingest.payload.Reading;
import health.careloop.ingest.payload.RejectReason;
import health.careloop.ingest.payload.Rejection;
import health.careloop.ingest.storage.IncomingMessage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per device: {@code ratePerMinute} readings a minute sustained, up to {@code burst} at once. A device
 * that has been quiet has a full bucket, so a store-and-forward batch of up to {@code burst} readings after an outage
 * passes whole (the default burst of 500 equals the largest message the payload contract allows).
 *
 * <p>Memory stays bounded however many devices there are: a bucket that has refilled to {@code burst} is the same as
 * no bucket, so idle devices are forgotten as they are met at the least-recently-used end of the map, and beyond
 * {@code maxDevices} the least recently seen device is forgotten whatever its state (it starts again with a full
 * bucket: the limiter errs on the side of letting readings in, never of refusing more). Exact integer arithmetic:
 * one token is {@link #UNIT} credit units and a device earns {@code ratePerMinute} units per nanosecond.
 *
 * <p>Not thread-safe: confined to the pipeline's event loop.
 */
public final class DeviceRateLimiter {
    static final long UNIT = 60_000_000_000L;
    /** 100,000 tracked devices cost about 15 MB; idle ones are dropped long before that in practice. */
    public static final int DEFAULT_MAX_DEVICES = 100_000;
    /** Same number handling as the decoder, so a refused element is dead-lettered as the device sent it. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES).build();

    private static final class Bucket {
        long credit;
        long updatedNanos;

        Bucket(long credit, long updatedNanos) {
            this.credit = credit;
            this.updatedNanos = updatedNanos;
        }
    }

    private final int burst;
    private final long ratePerMinute;
    private final long fullCredit;
    private final long fullRefillNanos;
    private final int maxDevices;
    private final LongSupplier nanoTime;
    private final LinkedHashMap<String, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true);

    /** @param ratePerMinute readings a minute per device, at least 1; @param burst bucket size, at least 1 */
    public DeviceRateLimiter(int ratePerMinute, int burst, int maxDevices, LongSupplier nanoTime) {
        if (ratePerMinute < 1 || burst < 1 || maxDevices < 1) {
            throw new IllegalArgumentException("rate, burst and maxDevices must be positive");
        }
        this.burst = burst;
        this.ratePerMinute = ratePerMinute;
        this.fullCredit = burst * UNIT;
        this.fullRefillNanos = (fullCredit + ratePerMinute - 1) / ratePerMinute;
        this.maxDevices = maxDevices;
        this.nanoTime = nanoTime;
    }

    /**
     * The message with the readings its device has no tokens for moved to the rejections as {@code rate_limited}
     * (the first readings of a message pass, the rest are refused; each refused one keeps its own element's bytes).
     * Rejections from decoding cost no tokens: they go to the dead letters anyway.
     */
    public IncomingMessage limit(IncomingMessage message) {
        List<Reading> readings = message.decoded().readings();
        if (readings.isEmpty() || message.deviceId() == null) {
            return message;
        }
        int granted = acquire(message.deviceId(), readings.size());
        if (granted == readings.size()) {
            return message;
        }
        String detail = "device '" + message.deviceId() + "' is over its limit of " + ratePerMinute + " readings a minute (burst "
                + burst + "): " + (readings.size() - granted) + " of the " + readings.size() + " readings of this message refused";
        List<JsonNode> elements = null;
        List<Rejection> rejections = new ArrayList<>(message.decoded().rejections());
        for (Reading refused : readings.subList(granted, readings.size())) {
            byte[] raw = message.payload();
            if (refused.elementIndex() >= 0) {
                elements = elements == null ? elements(message.payload()) : elements;
                raw = refused.elementIndex() < elements.size() ? bytes(elements.get(refused.elementIndex()), raw) : raw;
            }
            rejections.add(new Rejection(RejectReason.RATE_LIMITED, detail, refused.elementIndex(), raw));
        }
        return new IncomingMessage(message.topic(), message.deviceId(), message.receivedAt(), message.payload(),
                new DecodedMessage(List.copyOf(readings.subList(0, granted)), rejections));
    }

    /** The array's elements, parsed once (the decoder has already accepted this payload). */
    private static List<JsonNode> elements(byte[] payload) {
        try {
            List<JsonNode> elements = new ArrayList<>();
            JSON.readTree(payload).forEach(elements::add);
            return elements;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static byte[] bytes(JsonNode element, byte[] fallback) {
        try {
            return JSON.writeValueAsBytes(element);
        } catch (IOException e) {
            return fallback;
        }
    }

    /** Takes up to {@code wanted} tokens from the device's bucket and returns how many it got (0..wanted). */
    public int acquire(String deviceId, int wanted) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.get(deviceId);
        if (bucket == null) {
            bucket = new Bucket(fullCredit, now);
            buckets.put(deviceId, bucket);
        } else {
            refill(bucket, now);
        }
        int granted = (int) Math.min(wanted, bucket.credit / UNIT);
        bucket.credit -= granted * UNIT;
        evict(now);
        return granted;
    }

    /** Devices currently tracked (for tests and diagnostics). */
    public int trackedDevices() {
        return buckets.size();
    }

    private void refill(Bucket bucket, long now) {
        long elapsed = now - bucket.updatedNanos;
        if (elapsed <= 0) {
            return;
        }
        // Capping first keeps elapsed × rate far from overflow.
        bucket.credit = elapsed >= fullRefillNanos ? fullCredit : Math.min(fullCredit, bucket.credit + elapsed * ratePerMinute);
        bucket.updatedNanos = now;
    }

    private void evict(long now) {
        Iterator<Map.Entry<String, Bucket>> eldest = buckets.entrySet().iterator();
        // A few idle (full again) devices at the LRU end per call: amortised O(1), and the map drains as devices go quiet.
        for (int i = 0; i < 4 && eldest.hasNext(); i++) {
            Bucket b = eldest.next().getValue();
            if (buckets.size() > maxDevices || now - b.updatedNanos >= (fullCredit - b.credit + ratePerMinute - 1) / ratePerMinute) {
                eldest.remove();
            } else {
                break;
            }
        }
    }
}
