package health.careloop.ingest.payload;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one MQTT payload (payload contract version 1, DESIGN.md) into normalised readings and rejections.
 * Pure and thread-confined: no I/O, never throws for bad input; each array element stands or falls alone.
 */
public final class ReadingDecoder {
    public static final int MAX_READINGS_PER_MESSAGE = 500;
    /** Device clocks drift; more than this ahead of our clock is a wrong clock, not a reading from the future. */
    public static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);

    /**
     * Strict: no NaN, no trailing tokens, and no key twice in an object ({"systolic":120,"systolic":300} is not a
     * reading of 300; Jackson's parser checks as it reads, see PayloadDecodeBenchmark for its cost).
     */
    private static final ObjectMapper JSON = mapper(true);
    /**
     * Without duplicate detection (and reading one value at a time, so no trailing-token check): only to find the
     * elements of an array in which some element repeats a key.
     */
    private static final ObjectMapper LENIENT = mapper(false);
    private static final String DUPLICATE = "Duplicate field '";

    private static ObjectMapper mapper(boolean strict) {
        ObjectMapper mapper = JsonMapper.builder()
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .configure(StreamReadFeature.STRICT_DUPLICATE_DETECTION, strict)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, strict)
                .build();
        // A hostile payload must not cost us a stack overflow or a huge allocation.
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(16).maxNumberLength(32).maxStringLength(64 * 1024).build());
        return mapper;
    }

    private final Clock clock;
    private final Duration retention;
    private final int maxPayloadBytes;

    public ReadingDecoder(Clock clock, Duration retention, int maxPayloadBytes) {
        this.clock = clock;
        this.retention = retention;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    public DecodedMessage decode(String deviceId, byte[] payload) {
        if (payload.length > maxPayloadBytes) {
            return refused(RejectReason.PAYLOAD_TOO_LARGE, "payload of " + payload.length + " bytes exceeds " + maxPayloadBytes, payload);
        }
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (StreamReadException e) {
            return duplicateKey(e) == null ? refused(RejectReason.NOT_JSON, "not UTF-8 JSON: " + firstLine(e), payload)
                    : withDuplicateKeys(deviceId, payload);
        } catch (IOException e) {
            return refused(RejectReason.NOT_JSON, "not UTF-8 JSON: " + firstLine(e), payload);
        }
        if (root == null || root.isMissingNode()) {
            return refused(RejectReason.NOT_JSON, "empty payload", payload);
        }
        if (root.isObject()) {
            return decodeElements(deviceId, List.of(root), -1);
        }
        if (!root.isArray()) {
            return refused(RejectReason.NOT_A_READING, "payload must be a reading object or an array of them", payload);
        }
        if (root.isEmpty()) {
            return refused(RejectReason.NOT_A_READING, "empty array", payload);
        }
        if (root.size() > MAX_READINGS_PER_MESSAGE) {
            return refused(RejectReason.TOO_MANY_READINGS, root.size() + " readings in one message; at most " + MAX_READINGS_PER_MESSAGE, payload);
        }
        List<JsonNode> elements = new ArrayList<>(root.size());
        root.forEach(elements::add);
        return decodeElements(deviceId, elements, 0);
    }

    /**
     * A payload in which some object repeats a key. A single reading is refused whole ({@code duplicate_key}). In an
     * array each element still stands alone: the elements are found with a parser that does not check keys, and each
     * object is read again strictly, so only the elements that repeat a key are dead-lettered (with their own bytes).
     */
    private DecodedMessage withDuplicateKeys(String deviceId, byte[] payload) {
        List<byte[]> elements = new ArrayList<>();
        try (JsonParser parser = LENIENT.getFactory().createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return refused(RejectReason.DUPLICATE_KEY, duplicateDetail(payload), payload);
            }
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (parser.currentToken() != JsonToken.START_OBJECT) {
                    // Not an object (refused below as not_a_reading): its bytes as Jackson writes the value.
                    elements.add(bytes(parser.readValueAsTree()));
                    continue;
                }
                int start = (int) parser.currentTokenLocation().getByteOffset();
                parser.skipChildren();
                int end = (int) parser.currentLocation().getByteOffset();
                elements.add(java.util.Arrays.copyOfRange(payload, start, end));
                if (elements.size() > MAX_READINGS_PER_MESSAGE) {
                    return refused(RejectReason.TOO_MANY_READINGS, "more than " + MAX_READINGS_PER_MESSAGE + " readings in one message", payload);
                }
            }
            if (parser.nextToken() != null) {
                return refused(RejectReason.NOT_JSON, "not UTF-8 JSON: trailing content after the array", payload);
            }
        } catch (IOException e) {
            return refused(RejectReason.NOT_JSON, "not UTF-8 JSON: " + firstLine(e), payload);
        }
        if (elements.isEmpty()) {
            return refused(RejectReason.NOT_A_READING, "empty array", payload);
        }
        Instant now = clock.instant();
        List<Reading> readings = new ArrayList<>(elements.size());
        List<Rejection> rejections = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            byte[] raw = elements.get(i);
            try {
                readings.add(decodeReading(deviceId, JSON.readTree(raw), now, i));
            } catch (StreamReadException e) {
                String key = duplicateKey(e);
                rejections.add(new Rejection(key == null ? RejectReason.NOT_JSON : RejectReason.DUPLICATE_KEY,
                        key == null ? "not UTF-8 JSON: " + firstLine(e) : "key '" + abbreviate(key) + "' appears more than once", i, raw));
            } catch (IOException e) {
                rejections.add(new Rejection(RejectReason.NOT_JSON, "not UTF-8 JSON: " + firstLine(e), i, raw));
            } catch (Refusal r) {
                rejections.add(new Rejection(r.reason, r.getMessage(), i, raw));
            }
        }
        return new DecodedMessage(readings, rejections);
    }

    /** The key Jackson found twice, or null when the parse failed for another reason. */
    private static String duplicateKey(StreamReadException e) {
        String message = e.getOriginalMessage();
        if (message == null || !message.startsWith(DUPLICATE) || message.lastIndexOf('\'') <= DUPLICATE.length() - 1) {
            return null;
        }
        return message.substring(DUPLICATE.length(), message.lastIndexOf('\''));
    }

    private static String duplicateDetail(byte[] payload) {
        try {
            JSON.readTree(payload);
        } catch (StreamReadException e) {
            String key = duplicateKey(e);
            if (key != null) {
                return "key '" + abbreviate(key) + "' appears more than once";
            }
        } catch (IOException e) {
            // described below
        }
        return "a key appears more than once";
    }

    private DecodedMessage decodeElements(String deviceId, List<JsonNode> elements, int firstIndex) {
        Instant now = clock.instant();
        List<Reading> readings = new ArrayList<>(elements.size());
        List<Rejection> rejections = new ArrayList<>(0);
        for (int i = 0; i < elements.size(); i++) {
            JsonNode element = elements.get(i);
            try {
                readings.add(decodeReading(deviceId, element, now, firstIndex < 0 ? -1 : firstIndex + i));
            } catch (Refusal r) {
                rejections.add(new Rejection(r.reason, r.getMessage(), firstIndex < 0 ? -1 : firstIndex + i, bytes(element)));
            }
        }
        return new DecodedMessage(readings, rejections);
    }

    private Reading decodeReading(String deviceId, JsonNode node, Instant now, int index) {
        if (!node.isObject()) {
            throw new Refusal(RejectReason.NOT_A_READING, "array element is not a JSON object");
        }
        String typeName = text(node, "type");
        ReadingType type = ReadingType.fromWire(typeName)
                .orElseThrow(() -> new Refusal(RejectReason.UNKNOWN_TYPE, "unknown type '" + abbreviate(typeName) + "'"));
        OffsetDateTime measured = timestamp(node);
        Instant measuredAt = measured.toInstant().truncatedTo(ChronoUnit.MICROS);
        if (measuredAt.isAfter(now.plus(FUTURE_TOLERANCE))) {
            throw new Refusal(RejectReason.MEASURED_IN_FUTURE, "measuredAt " + measured + " is more than 5 minutes ahead of the server clock");
        }
        if (measuredAt.isBefore(now.minus(retention))) {
            throw new Refusal(RejectReason.MEASURED_TOO_OLD, "measuredAt " + measured + " is older than the " + retention.toDays() + "-day retention window");
        }
        int offsetMinutes = measured.getOffset().getTotalSeconds() / 60;
        String readingId = optionalText(node, "readingId", 100);
        if (readingId != null && readingId.chars().anyMatch(Character::isISOControl)) {
            // PostgreSQL text cannot hold NUL; a device id for a reading is one line of printable text.
            throw new Refusal(RejectReason.INVALID_FIELD, "'readingId' must not contain control characters");
        }
        Integer battery = battery(node);
        return switch (type) {
            case BLOOD_PRESSURE -> {
                int systolic = plausibleInteger(node, "systolic", PlausibleRange.SYSTOLIC, "mmHg");
                int diastolic = plausibleInteger(node, "diastolic", PlausibleRange.DIASTOLIC, "mmHg");
                if (diastolic >= systolic) {
                    throw new Refusal(RejectReason.IMPLAUSIBLE_VALUE, "diastolic " + diastolic + " is not below systolic " + systolic);
                }
                Integer pulse = node.has("pulse") ? plausibleInteger(node, "pulse", PlausibleRange.PULSE, "/min") : null;
                yield new Reading(deviceId, type, measuredAt, offsetMinutes, readingId, systolic, diastolic, pulse, null, null, null, null, null, battery, index);
            }
            case BLOOD_GLUCOSE -> {
                BigDecimal value = number(node, "glucose");
                String unit = text(node, "unit");
                BigDecimal mgDl = switch (unit) {
                    case "mg/dL" -> value.setScale(1, java.math.RoundingMode.HALF_UP);
                    case "mmol/L" -> UnitConversion.mmolPerLitreToMgPerDl(value);
                    default -> throw new Refusal(RejectReason.WRONG_UNIT, "glucose unit '" + abbreviate(unit) + "' is not mg/dL or mmol/L");
                };
                plausible(PlausibleRange.GLUCOSE_MG_DL, mgDl, "mg/dL");
                MealContext meal = null;
                if (node.has("mealContext")) {
                    String mealName = text(node, "mealContext");
                    meal = MealContext.fromWire(mealName).orElseThrow(() -> new Refusal(RejectReason.INVALID_FIELD,
                            "mealContext '" + abbreviate(mealName) + "' is not fasting, before_meal, after_meal, bedtime or random"));
                }
                yield new Reading(deviceId, type, measuredAt, offsetMinutes, readingId, null, null, null, mgDl, meal, null, null,
                        unit.equals("mg/dL") ? null : unit, battery, index);
            }
            case BODY_WEIGHT -> {
                BigDecimal value = number(node, "weight");
                String unit = text(node, "unit");
                BigDecimal kg = switch (unit) {
                    case "kg" -> value.setScale(2, java.math.RoundingMode.HALF_UP);
                    case "lb" -> UnitConversion.poundsToKilograms(value);
                    default -> throw new Refusal(RejectReason.WRONG_UNIT, "weight unit '" + abbreviate(unit) + "' is not kg or lb");
                };
                plausible(PlausibleRange.WEIGHT_KG, kg, "kg");
                yield new Reading(deviceId, type, measuredAt, offsetMinutes, readingId, null, null, null, null, null, kg, null,
                        unit.equals("kg") ? null : unit, battery, index);
            }
            case OXYGEN_SATURATION -> {
                BigDecimal spo2 = number(node, "spo2").setScale(1, java.math.RoundingMode.HALF_UP);
                plausible(PlausibleRange.SPO2, spo2, "%");
                Integer pulse = node.has("pulse") ? plausibleInteger(node, "pulse", PlausibleRange.PULSE, "/min") : null;
                yield new Reading(deviceId, type, measuredAt, offsetMinutes, readingId, null, null, pulse, null, null, null, spo2, null, battery, index);
            }
        };
    }

    private static OffsetDateTime timestamp(JsonNode node) {
        String value = text(node, "measuredAt");
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeException e) {
            throw new Refusal(RejectReason.INVALID_TIMESTAMP, "measuredAt '" + abbreviate(value) + "' is not ISO-8601 with an offset or Z");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new Refusal(RejectReason.MISSING_FIELD, "'" + field + "' is missing");
        }
        if (!value.isTextual()) {
            throw new Refusal(RejectReason.INVALID_FIELD, "'" + field + "' must be a string");
        }
        return value.textValue();
    }

    /**
     * The device's battery level in percent, when it sends one. A gauge we cannot read is ignored rather than refused:
     * the battery is about the device, and a faulty gauge must never cost a clinical reading.
     */
    private static Integer battery(JsonNode node) {
        JsonNode value = node.get("battery");
        if (value == null || !value.isNumber() || !value.canConvertToExactIntegral()) {
            return null;
        }
        int percent = value.asInt();
        return percent >= 0 && percent <= 100 ? percent : null;
    }

    private static String optionalText(JsonNode node, String field, int maxLength) {
        if (!node.has(field) || node.get(field).isNull()) {
            return null;
        }
        String value = text(node, field);
        if (value.isEmpty() || value.length() > maxLength) {
            throw new Refusal(RejectReason.INVALID_FIELD, "'" + field + "' must be 1-" + maxLength + " characters");
        }
        return value;
    }

    private static BigDecimal number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new Refusal(RejectReason.MISSING_FIELD, "'" + field + "' is missing");
        }
        if (!value.isNumber()) {
            throw new Refusal(RejectReason.INVALID_FIELD, "'" + field + "' must be a number");
        }
        return value.decimalValue();
    }

    private static int plausibleInteger(JsonNode node, String field, PlausibleRange range, String unit) {
        BigDecimal value = number(node, field);
        if (value.stripTrailingZeros().scale() > 0) {
            throw new Refusal(RejectReason.INVALID_FIELD, "'" + field + "' must be a whole number");
        }
        plausible(range, value, unit);
        return value.intValueExact();
    }

    private static void plausible(PlausibleRange range, BigDecimal value, String unit) {
        if (!range.contains(value)) {
            throw new Refusal(RejectReason.IMPLAUSIBLE_VALUE, range.describe(value, unit));
        }
    }

    /** The bytes of one element of an array payload (or the whole payload for index -1), for a dead letter. */
    public static byte[] element(byte[] payload, int index) {
        if (index < 0) {
            return payload;
        }
        try {
            JsonNode root = JSON.readTree(payload);
            return bytes(root.get(index));
        } catch (IOException | RuntimeException e) {
            return payload;
        }
    }

    private static DecodedMessage refused(RejectReason reason, String detail, byte[] payload) {
        return new DecodedMessage(List.of(), List.of(new Rejection(reason, detail, -1, payload)));
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            return new byte[0];
        }
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return abbreviate(newline < 0 ? message : message.substring(0, newline));
    }

    private static String abbreviate(String value) {
        return value.length() <= 60 ? value : value.substring(0, 60) + "…";
    }

    /** Control flow for one refused element; no stack trace, it is not an error of ours. */
    private static final class Refusal extends RuntimeException {
        final RejectReason reason;

        Refusal(RejectReason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }
}
