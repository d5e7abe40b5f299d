package health.careloop.simulator.devices;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Payloads of the version 1 contract, written with Jackson. */
public final class ReadingJson {
    /** DESIGN.md: an array payload holds at most 500 readings. */
    public static final int MAX_BATCH = 500;

    // ISO_OFFSET_DATE_TIME keeps the patient's local offset ("-06:00") rather than normalising to Z.
    private static final DateTimeFormatter MEASURED_AT = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReadingJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode toNode(Reading reading) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", reading.type());
        node.put("measuredAt", MEASURED_AT.format(reading.measuredAt()));
        node.put("readingId", reading.readingId());
        if (reading instanceof Reading.BloodPressure bp) {
            node.put("systolic", bp.systolic());
            node.put("diastolic", bp.diastolic());
            node.put("pulse", bp.pulse());
        } else if (reading instanceof Reading.BloodGlucose g) {
            if (Reading.BloodGlucose.MG_DL.equals(g.unit())) {
                node.put("glucose", Math.round(g.glucose()));
            } else {
                node.put("glucose", g.glucose());
            }
            node.put("unit", g.unit());
            node.put("mealContext", g.mealContext().wireName());
        } else if (reading instanceof Reading.BodyWeight w) {
            node.put("weight", w.weight());
            node.put("unit", w.unit());
        } else if (reading instanceof Reading.OxygenSaturation o) {
            node.put("spo2", o.spo2());
            node.put("pulse", o.pulse());
        }
        return node;
    }

    public static byte[] payload(Reading reading) {
        return bytes(toNode(reading));
    }

    public static byte[] batchPayload(List<? extends Reading> readings) {
        if (readings.isEmpty() || readings.size() > MAX_BATCH) {
            throw new IllegalArgumentException("a batch holds 1-" + MAX_BATCH + " readings, not " + readings.size());
        }
        ArrayNode array = MAPPER.createArrayNode();
        readings.forEach(r -> array.add(toNode(r)));
        return bytes(array);
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
