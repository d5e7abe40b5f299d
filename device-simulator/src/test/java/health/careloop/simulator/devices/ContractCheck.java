package health.careloop.simulator.devices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The receiving side's rules of DESIGN.md, written independently of the simulator's own code, to judge what the
 * simulator sent: what a correct ingest stores, counts as duplicate, or rejects and why.
 */
public final class ContractCheck {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, String> VALUE_FIELD = Map.of(
            "blood_pressure", "systolic", "blood_glucose", "glucose", "body_weight", "weight", "oxygen_saturation", "spo2");

    public enum Verdict { STORED, DUPLICATE, MALFORMED, IMPLAUSIBLE, FUTURE }

    private final Set<String> identities = new HashSet<>();
    private final Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    private int arrays;

    public synchronized void receive(String deviceId, byte[] payload, Instant now) {
        JsonNode root;
        try {
            root = MAPPER.readTree(payload);
        } catch (Exception e) {
            tally(Verdict.MALFORMED);
            return;
        }
        if (root == null) {
            tally(Verdict.MALFORMED);
        } else if (root.isArray()) {
            arrays++;
            if (root.size() < 1 || root.size() > 500) {
                tally(Verdict.MALFORMED);
            }
            root.forEach(r -> tally(judge(deviceId, r, now)));
        } else {
            tally(judge(deviceId, root, now));
        }
    }

    public synchronized int count(Verdict verdict) {
        return counts.getOrDefault(verdict, 0);
    }

    public synchronized int arrays() {
        return arrays;
    }

    public synchronized int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    private void tally(Verdict verdict) {
        counts.merge(verdict, 1, Integer::sum);
    }

    private Verdict judge(String deviceId, JsonNode r, Instant now) {
        String type = r.path("type").asText(null);
        if (type == null || !VALUE_FIELD.containsKey(type) || !r.path("measuredAt").isTextual()) {
            return Verdict.MALFORMED;
        }
        OffsetDateTime measuredAt;
        try {
            measuredAt = OffsetDateTime.parse(r.get("measuredAt").asText());
        } catch (DateTimeParseException e) {
            return Verdict.MALFORMED;
        }
        if (!r.path(VALUE_FIELD.get(type)).isNumber()) {
            return Verdict.MALFORMED;
        }
        Verdict values = switch (type) {
            case "blood_pressure" -> bloodPressure(r);
            case "blood_glucose" -> glucose(r);
            case "body_weight" -> weight(r);
            default -> oxygen(r);
        };
        if (values != Verdict.STORED) {
            return values;
        }
        if (measuredAt.toInstant().isAfter(now.plus(Duration.ofMinutes(5)))) {
            return Verdict.FUTURE;
        }
        return identities.add(deviceId + "|" + type + "|" + measuredAt.toInstant()) ? Verdict.STORED : Verdict.DUPLICATE;
    }

    private static Verdict bloodPressure(JsonNode r) {
        if (!r.path("diastolic").isInt() || !r.path("systolic").isInt()) {
            return Verdict.MALFORMED;
        }
        int sys = r.get("systolic").asInt();
        int dia = r.get("diastolic").asInt();
        boolean ok = sys >= 50 && sys <= 300 && dia >= 20 && dia <= 200 && dia < sys && pulseOk(r);
        return ok ? Verdict.STORED : Verdict.IMPLAUSIBLE;
    }

    private static Verdict glucose(JsonNode r) {
        String unit = r.path("unit").asText("");
        double value = r.get("glucose").asDouble();
        double mgDl;
        if (unit.equals("mg/dL")) {
            mgDl = value;
        } else if (unit.equals("mmol/L")) {
            mgDl = value * 18.016;
        } else {
            return Verdict.MALFORMED;
        }
        return mgDl >= 10 && mgDl <= 1000 ? Verdict.STORED : Verdict.IMPLAUSIBLE;
    }

    private static Verdict weight(JsonNode r) {
        String unit = r.path("unit").asText("");
        double value = r.get("weight").asDouble();
        double kg;
        if (unit.equals("kg")) {
            kg = value;
        } else if (unit.equals("lb")) {
            kg = value / 2.20462;
        } else {
            return Verdict.MALFORMED;
        }
        return kg >= 1 && kg <= 500 ? Verdict.STORED : Verdict.IMPLAUSIBLE;
    }

    private static Verdict oxygen(JsonNode r) {
        int spo2 = r.get("spo2").asInt();
        return spo2 >= 50 && spo2 <= 100 && pulseOk(r) ? Verdict.STORED : Verdict.IMPLAUSIBLE;
    }

    private static boolean pulseOk(JsonNode r) {
        return !r.has("pulse") || (r.get("pulse").asInt() >= 20 && r.get("pulse").asInt() <= 300);
    }
}
