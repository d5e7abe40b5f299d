package health.careloop.ingest.payload;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A valid reading in stored units, not yet attributed to a patient. Only the fields of its type are set.
 *
 * @param offsetMinutes the device's own UTC offset at measurement, kept beside the UTC instant (clocks and zones change)
 * @param sourceUnit    the unit the device sent when it was converted (lb, mmol/L), else null
 * @param elementIndex  position in an array payload, or -1 for a single-object payload
 */
public record Reading(
        String deviceId,
        ReadingType type,
        Instant measuredAt,
        int offsetMinutes,
        String readingId,
        Integer systolic,
        Integer diastolic,
        Integer pulse,
        BigDecimal glucoseMgDl,
        MealContext mealContext,
        BigDecimal weightKg,
        BigDecimal spo2,
        String sourceUnit,
        Integer batteryPercent,
        int elementIndex) {
}
