package health.careloop.simulator.devices;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One device in a patient's home.
 *
 * @param unit the unit the device is set to display and send ("kg"/"lb", "mg/dL"/"mmol/L"); null where a type has one unit
 */
public record SimulatedDevice(String deviceId, DeviceKind kind, String unit) {

    // DESIGN.md: deviceId is 1-64 of [A-Za-z0-9._-]; the broker ACL and the topic depend on it.
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public SimulatedDevice {
        Objects.requireNonNull(kind, "kind");
        if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
            throw new IllegalArgumentException("device id must be 1-64 of [A-Za-z0-9._-]: " + deviceId);
        }
    }

    public String topic() {
        return ReadingTopic.forDevice(deviceId);
    }
}
