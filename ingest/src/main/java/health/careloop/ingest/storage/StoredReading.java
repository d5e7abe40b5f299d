package health.careloop.ingest.storage;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A reading as stored, attributed to its patient.
 *
 * @param enteredBy   the staff member who entered it (a value phoned in, a clinic measurement); null for a device's reading
 * @param entrySource how an entered reading reached the care team ({@code phoned_in}, {@code clinic}); null for a device's
 */
public record StoredReading(String deviceId, String type, Instant measuredAt, int offsetMinutes, Instant receivedAt,
                            UUID patientId, UUID practiceId, LocalDate localDate, String readingId,
                            Integer systolic, Integer diastolic, Integer pulse, BigDecimal glucoseMgDl, String mealContext,
                            BigDecimal weightKg, BigDecimal spo2, String unit, String loinc, String sourceUnit,
                            UUID enteredBy, String entrySource) {

    /** A device's reading. */
    public StoredReading(String deviceId, String type, Instant measuredAt, int offsetMinutes, Instant receivedAt,
                         UUID patientId, UUID practiceId, LocalDate localDate, String readingId,
                         Integer systolic, Integer diastolic, Integer pulse, BigDecimal glucoseMgDl, String mealContext,
                         BigDecimal weightKg, BigDecimal spo2, String unit, String loinc, String sourceUnit) {
        this(deviceId, type, measuredAt, offsetMinutes, receivedAt, patientId, practiceId, localDate, readingId, systolic, diastolic, pulse,
                glucoseMgDl, mealContext, weightKg, spo2, unit, loinc, sourceUnit, null, null);
    }

    /** Entered by a person, not transmitted by a device: never a data day. */
    public boolean enteredByStaff() {
        return enteredBy != null;
    }
}
