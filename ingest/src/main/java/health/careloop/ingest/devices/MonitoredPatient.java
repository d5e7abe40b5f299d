package health.careloop.ingest.devices;

import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

/**
 * A patient with at least one device assignment that has not ended. {@code firstAssigned} is the start of their
 * earliest assignment: the first day of monitoring, where 30-day device-supply periods begin (billing-rules.md, P30).
 */
public record MonitoredPatient(UUID patientId, UUID practiceId, ZoneId practiceZone, Instant firstAssigned) {
}
