package health.careloop.ingest.payload;

import java.util.Arrays;
import java.util.Optional;

/**
 * The reading types of payload version 1, with the unit they are stored in and their LOINC code
 * (billing-rules.md section 6; DESIGN.md "Topic and payload").
 */
public enum ReadingType {
    BLOOD_PRESSURE("blood_pressure", "mmHg", "85354-9"),
    BLOOD_GLUCOSE("blood_glucose", "mg/dL", "2339-0"),
    BODY_WEIGHT("body_weight", "kg", "29463-7"),
    OXYGEN_SATURATION("oxygen_saturation", "%", "59408-5");

    public static final String LOINC_SYSTOLIC = "8480-6";
    public static final String LOINC_DIASTOLIC = "8462-4";
    public static final String LOINC_HEART_RATE = "8867-4";

    private final String wireName;
    private final String storedUnit;
    private final String loinc;

    ReadingType(String wireName, String storedUnit, String loinc) {
        this.wireName = wireName;
        this.storedUnit = storedUnit;
        this.loinc = loinc;
    }

    public static Optional<ReadingType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    public String wireName() {
        return wireName;
    }

    public String storedUnit() {
        return storedUnit;
    }

    public String loinc() {
        return loinc;
    }
}
