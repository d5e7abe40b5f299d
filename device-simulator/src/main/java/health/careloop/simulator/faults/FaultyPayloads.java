package health.careloop.simulator.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import health.careloop.simulator.devices.Reading;
import health.careloop.simulator.devices.ReadingJson;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Payloads that break the contract on purpose, each one a single reading so one message is one rejection. */
final class FaultyPayloads {
    private FaultyPayloads() {
    }

    static byte[] malformed(Reading reading, SplittableRandom random) {
        ObjectNode node = ReadingJson.toNode(reading);
        switch (random.nextInt(4)) {
            case 0 -> {
                // A firmware bug cutting the buffer short: not JSON at all, so built from bytes, not with Jackson.
                byte[] json = ReadingJson.bytes(node);
                return Arrays.copyOf(json, json.length / 2);
            }
            case 1 -> node.remove(valueField(reading));
            case 2 -> node.put("type", "body_temperature");
            default -> {
                if (reading instanceof Reading.BloodGlucose) {
                    node.put("unit", "g/L");
                } else if (reading instanceof Reading.BodyWeight) {
                    node.put("unit", "stone");
                } else {
                    node.put(valueField(reading), "high");
                }
            }
        }
        return ReadingJson.bytes(node);
    }

    static byte[] implausible(Reading reading) {
        ObjectNode node = ReadingJson.toNode(reading);
        if (reading instanceof Reading.BloodPressure bp) {
            node.put("systolic", 320);
        } else if (reading instanceof Reading.BloodGlucose g) {
            node.put("glucose", Reading.BloodGlucose.MMOL_L.equals(g.unit()) ? 70.0 : 1250);
        } else if (reading instanceof Reading.BodyWeight w) {
            node.put("weight", Reading.BodyWeight.LB.equals(w.unit()) ? 1450.0 : 650.0);
        } else {
            node.put("spo2", 104);
        }
        return ReadingJson.bytes(node);
    }

    static String valueField(Reading reading) {
        if (reading instanceof Reading.BloodPressure) {
            return "systolic";
        } else if (reading instanceof Reading.BloodGlucose) {
            return "glucose";
        } else if (reading instanceof Reading.BodyWeight) {
            return "weight";
        }
        return "spo2";
    }
}
