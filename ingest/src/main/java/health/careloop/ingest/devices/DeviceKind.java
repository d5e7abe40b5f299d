package health.careloop.ingest.devices;

import java.util.Arrays;
import java.util.Optional;

/** The home devices CareLoop accepts. */
public enum DeviceKind {
    BLOOD_PRESSURE_CUFF("blood_pressure_cuff"), GLUCOMETER("glucometer"), SCALE("scale"), PULSE_OXIMETER("pulse_oximeter");

    private final String wireName;

    DeviceKind(String wireName) {
        this.wireName = wireName;
    }

    public static Optional<DeviceKind> fromWire(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
    }

    public String wireName() {
        return wireName;
    }
}
