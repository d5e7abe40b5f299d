package health.careloop.clinical.rules;

import health.careloop.ingest.storage.StoredReading;

import java.time.Instant;

/** A reading's identity (DESIGN.md: device id, type, measured time). */
public record ReadingRef(String deviceId, String type, Instant measuredAt) {
    public static ReadingRef of(StoredReading r) {
        return new ReadingRef(r.deviceId(), r.type(), r.measuredAt());
    }
}
