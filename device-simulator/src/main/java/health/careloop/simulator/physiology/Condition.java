package health.careloop.simulator.physiology;

import health.careloop.simulator.devices.DeviceKind;

import java.util.List;

/**
 * Chronic conditions common among remote-monitoring patients, with the chance of each (drawn independently, among
 * people with at least one) and the devices its care plan calls for.
 */
public enum Condition {
    // Prevalences roughly follow a Medicare RPM panel: hypertension dominates, diabetes next, then CKD, COPD, HF.
    HYPERTENSION(0.72, List.of(DeviceKind.BLOOD_PRESSURE_CUFF)),
    TYPE_2_DIABETES(0.36, List.of(DeviceKind.GLUCOMETER)),
    CHRONIC_KIDNEY_DISEASE(0.16, List.of(DeviceKind.BLOOD_PRESSURE_CUFF, DeviceKind.SCALE)),
    COPD(0.14, List.of(DeviceKind.PULSE_OXIMETER)),
    HEART_FAILURE(0.13, List.of(DeviceKind.SCALE, DeviceKind.BLOOD_PRESSURE_CUFF));

    private final double prevalence;
    private final List<DeviceKind> devices;

    Condition(double prevalence, List<DeviceKind> devices) {
        this.prevalence = prevalence;
        this.devices = devices;
    }

    public double prevalence() {
        return prevalence;
    }

    public List<DeviceKind> devices() {
        return devices;
    }
}
