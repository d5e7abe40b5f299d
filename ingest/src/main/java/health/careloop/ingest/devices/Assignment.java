package health.careloop.ingest.devices;

import java.time.Instant;
import java.util.UUID;

/** A device given to a patient over [validFrom, validTo); validTo null means still with the patient. */
public record Assignment(long id, UUID patientId, Instant validFrom, Instant validTo) {

    public boolean covers(Instant at) {
        return !at.isBefore(validFrom) && (validTo == null || at.isBefore(validTo));
    }
}
