package health.careloop.ingest.storage;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A reading as stored, attributed to its patient. */
public record StoredReading(String deviceId, String type, Instant measuredAt, int offsetMinutes, Instant receivedAt,
                            UUID patientId, UUID practiceId, LocalDate localDate, String readingId,
                            Integer systolic, Integer diastolic, Integer pulse, BigDecimal glucoseMgDl, String mealContext,
                            BigDecimal weightKg, BigDecimal spo2, String unit, String loinc, String sourceUnit) {
}
