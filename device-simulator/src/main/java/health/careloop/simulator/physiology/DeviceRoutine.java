package health.careloop.simulator.physiology;

import health.careloop.simulator.devices.Reading;
import health.careloop.simulator.devices.SimulatedDevice;

import java.util.List;

/** What one kind of device records on a day the patient measures: when, and what values. */
interface DeviceRoutine {
    List<Reading> readings(SimulatedDevice device, MeasuringDay day);

    static int clamp(double value, int min, int max) {
        return (int) Math.max(min, Math.min(max, Math.round(value)));
    }

    static double oneDecimal(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
