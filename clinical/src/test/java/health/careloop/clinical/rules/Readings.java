package health.careloop.clinical.rules;

import health.careloop.ingest.storage.StoredReading;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** Stored readings for rule tests. */
final class Readings {
    static final Instant T0 = Instant.parse("2026-03-10T08:00:00Z");
    private static final UUID PATIENT = UUID.randomUUID();
    private static final UUID PRACTICE = UUID.randomUUID();

    private Readings() {
    }

    static StoredReading bp(Instant at, int systolic, int diastolic) {
        return new StoredReading("cuff-1", "blood_pressure", at, 0, at, PATIENT, PRACTICE, LocalDate.of(2026, 3, 10), null,
                systolic, diastolic, null, null, null, null, null, "mmHg", "85354-9", null);
    }

    static StoredReading glucose(Instant at, String mgDl) {
        return new StoredReading("meter-1", "blood_glucose", at, 0, at, PATIENT, PRACTICE, LocalDate.of(2026, 3, 10), null,
                null, null, null, new BigDecimal(mgDl), null, null, null, "mg/dL", "2339-0", null);
    }

    static StoredReading weight(Instant at, String kg) {
        return new StoredReading("scale-1", "body_weight", at, 0, at, PATIENT, PRACTICE, LocalDate.of(2026, 3, 10), null,
                null, null, null, null, null, new BigDecimal(kg), null, "kg", "29463-7", null);
    }

    static StoredReading spo2(Instant at, String percent) {
        return new StoredReading("oxi-1", "oxygen_saturation", at, 0, at, PATIENT, PRACTICE, LocalDate.of(2026, 3, 10), null,
                null, null, null, null, null, null, new BigDecimal(percent), "%", "59408-5", null);
    }

    static Instant days(double d) {
        return T0.plusSeconds((long) (d * 86400));
    }
}
