package health.careloop.ingest.devices;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A registered device with its practice's time zone and its assignments in time order. */
public record DeviceRecord(String deviceId, UUID practiceId, ZoneId practiceZone, DeviceKind kind, String model,
                           Instant registeredAt, List<Assignment> assignments) {

    /** The patient the device belonged to at {@code measuredAt}: readings are attributed by when they were measured. */
    public Optional<Assignment> assignmentAt(Instant measuredAt) {
        for (Assignment a : assignments) {
            if (a.covers(measuredAt)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
