package health.careloop.ingest.payload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random payloads against the decoder: it never throws, never hangs, accounts for every element (a reading
 * or a rejection), and every reading it accepts is within the contract. A failing seed is printed so it can be replayed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadingDecoderFuzzTest {
    static final Instant NOW = Instant.parse("2026-11-26T15:00:00Z");
    static final List<String> TYPES = List.of("blood_pressure", "blood_glucose", "body_weight", "oxygen_saturation", "ecg", "", "BLOOD_PRESSURE");
    static final List<String> FIELDS = List.of("type", "measuredAt", "systolic", "diastolic", "pulse", "glucose", "unit", "mealContext",
            "weight", "spo2", "readingId", "extra", "\u0000", "ü");
    final ReadingDecoder decoder = new ReadingDecoder(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(365), 64 * 1024);

    @Test
    void randomBytesNeverCrashTheDecoder() {
        SplittableRandom random = new SplittableRandom(20261126);
        for (int i = 0; i < 20_000; i++) {
            byte[] payload = new byte[random.nextInt(0, 300)];
            for (int b = 0; b < payload.length; b++) {
                payload[b] = (byte) random.nextInt(256);
            }
            DecodedMessage m = decode(payload, i);
            assertThat(m.size()).as("case %d", i).isPositive();
        }
    }

    @Test
    void randomReadingLikeJsonIsStoredOrRefusedElementByElement() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            boolean array = random.nextBoolean();
            int elements = array ? random.nextInt(1, 8) : 1;
            StringBuilder json = new StringBuilder(array ? "[" : "");
            for (int e = 0; e < elements; e++) {
                json.append(e == 0 ? "" : ",").append(randomReading(random));
            }
            json.append(array ? "]" : "");
            DecodedMessage m = decode(json.toString().getBytes(StandardCharsets.UTF_8), i);
            if (m.rejections().stream().noneMatch(r -> r.elementIndex() < 0)) {
                assertThat(m.size()).as("every element accounted for, case %d: %s", i, json).isEqualTo(elements);
            }
            for (Reading r : m.readings()) {
                assertWithinContract(r, json.toString());
            }
        }
    }

    @Test
    void hostileShapesAreRefusedQuickly() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThat(decoder.decode("d", deep.getBytes(StandardCharsets.UTF_8)).rejections()).isNotEmpty();
        String longNumber = "{\"type\":\"body_weight\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"unit\":\"kg\",\"weight\":1" + "0".repeat(10_000) + "}";
        assertThat(decoder.decode("d", longNumber.getBytes(StandardCharsets.UTF_8)).rejections().get(0).reason()).isEqualTo(RejectReason.NOT_JSON);
        for (String edge : List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "2026-02-30T00:00:00Z",
                "2026-11-26T07:30:00+18:00", "2026-11-26T07:30:00+19:00", "2026-11-26T07:30:00.123456789Z")) {
            DecodedMessage m = decoder.decode("d", ("{\"type\":\"oxygen_saturation\",\"measuredAt\":\"" + edge + "\",\"spo2\":97}")
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(m.size()).isEqualTo(1);
        }
    }

    private DecodedMessage decode(byte[] payload, int caseNumber) {
        try {
            return decoder.decode("dev-1", payload);
        } catch (RuntimeException e) {
            throw new AssertionError("decoder threw on case " + caseNumber + ": " + new String(payload, StandardCharsets.UTF_8), e);
        }
    }

    private static void assertWithinContract(Reading r, String json) {
        assertThat(r.measuredAt()).as(json).isBefore(NOW.plus(ReadingDecoder.FUTURE_TOLERANCE).plusNanos(1));
        switch (r.type()) {
            case BLOOD_PRESSURE -> assertThat(r.systolic()).as(json).isBetween(50, 300).isGreaterThan(r.diastolic());
            case BLOOD_GLUCOSE -> assertThat(r.glucoseMgDl().doubleValue()).as(json).isBetween(10.0, 1000.0);
            case BODY_WEIGHT -> assertThat(r.weightKg().doubleValue()).as(json).isBetween(1.0, 500.0);
            case OXYGEN_SATURATION -> assertThat(r.spo2().doubleValue()).as(json).isBetween(50.0, 100.0);
        }
    }

    private static String randomReading(SplittableRandom random) {
        StringBuilder json = new StringBuilder("{");
        int fields = random.nextInt(0, 7);
        boolean first = true;
        if (random.nextInt(10) > 0) {
            json.append("\"type\":\"").append(TYPES.get(random.nextInt(TYPES.size()))).append('"');
            first = false;
        }
        if (random.nextInt(10) > 0) {
            json.append(first ? "" : ",").append("\"measuredAt\":").append(randomTime(random));
            first = false;
        }
        for (int f = 0; f < fields; f++) {
            json.append(first ? "" : ",").append('"').append(FIELDS.get(random.nextInt(FIELDS.size()))).append("\":").append(randomValue(random));
            first = false;
        }
        return json.append('}').toString();
    }

    private static String randomTime(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> "\"" + NOW.minusSeconds(random.nextLong(0, 400L * 86400)) + "\"";
            case 1 -> "\"" + NOW.plusSeconds(random.nextLong(0, 900)) + "\"";
            case 2 -> "\"2026-11-26T07:30:00-06:00\"";
            case 3 -> "\"yesterday\"";
            case 4 -> Long.toString(random.nextLong());
            default -> "null";
        };
    }

    private static String randomValue(SplittableRandom random) {
        return switch (random.nextInt(9)) {
            case 0 -> Integer.toString(random.nextInt(-1000, 2000));
            case 1 -> Double.toString(random.nextDouble(-10, 600));
            case 2 -> "\"mg/dL\"";
            case 3 -> "\"mmol/L\"";
            case 4 -> "\"lb\"";
            case 5 -> "true";
            case 6 -> "[1,2]";
            case 7 -> "{\"nested\":{\"deeper\":1}}";
            default -> "\"\\u00e9\\ud83d\\ude00\"";
        };
    }
}
