package health.careloop.ingest.payload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The payload contract, field by field, without a broker or a database. */
class ReadingDecoderTest {
    static final Instant NOW = Instant.parse("2026-11-26T15:00:00Z");
    final ReadingDecoder decoder = new ReadingDecoder(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(365), 4096);

    DecodedMessage decode(String json) {
        return decoder.decode("dev-1", json.getBytes(StandardCharsets.UTF_8));
    }

    RejectReason onlyRejection(String json) {
        DecodedMessage m = decode(json);
        assertThat(m.readings()).isEmpty();
        assertThat(m.rejections()).hasSize(1);
        return m.rejections().get(0).reason();
    }

    @Test
    void normalisesUnitsAndKeepsTheDeviceOffset() {
        Reading weight = decode("{\"type\":\"body_weight\",\"measuredAt\":\"2026-11-26T07:30:00-06:00\",\"weight\":200,\"unit\":\"lb\"}").readings().get(0);
        assertThat(weight.weightKg()).isEqualByComparingTo("90.72");
        assertThat(weight.sourceUnit()).isEqualTo("lb");
        assertThat(weight.offsetMinutes()).isEqualTo(-360);
        assertThat(weight.measuredAt()).isEqualTo(Instant.parse("2026-11-26T13:30:00Z"));
        Reading glucose = decode("{\"type\":\"blood_glucose\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"glucose\":3.0,\"unit\":\"mmol/L\",\"mealContext\":\"bedtime\"}")
                .readings().get(0);
        assertThat(glucose.glucoseMgDl()).isEqualByComparingTo("54.0");
        assertThat(glucose.mealContext()).isEqualTo(MealContext.BEDTIME);
    }

    @Test
    void clinicalExtremesThatMustAlertAreAccepted() {
        assertThat(decode("{\"type\":\"blood_pressure\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"systolic\":220,\"diastolic\":130}").readings()).hasSize(1);
        assertThat(decode("{\"type\":\"blood_glucose\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"glucose\":40,\"unit\":\"mg/dL\"}").readings()).hasSize(1);
        assertThat(decode("{\"type\":\"oxygen_saturation\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"spo2\":84}").readings()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"blood_pressure\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"systolic\":120,\"diastolic\":130}|IMPLAUSIBLE_VALUE",
            "{\"type\":\"blood_pressure\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"systolic\":120.5,\"diastolic\":80}|INVALID_FIELD",
            "{\"type\":\"blood_pressure\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"systolic\":120}|MISSING_FIELD",
            "{\"type\":\"body_weight\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"weight\":80}|MISSING_FIELD",
            "{\"type\":\"body_weight\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"weight\":80,\"unit\":\"stone\"}|WRONG_UNIT",
            "{\"type\":\"body_weight\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"weight\":0.2,\"unit\":\"kg\"}|IMPLAUSIBLE_VALUE",
            "{\"type\":\"oxygen_saturation\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"spo2\":101}|IMPLAUSIBLE_VALUE",
            "{\"type\":\"oxygen_saturation\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"spo2\":true}|INVALID_FIELD",
            "{\"type\":\"blood_glucose\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"glucose\":100,\"unit\":\"mg/dL\",\"mealContext\":\"brunch\"}|INVALID_FIELD",
            "{\"type\":\"blood_glucose\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"glucose\":60,\"unit\":\"mmol/L\"}|IMPLAUSIBLE_VALUE",
            "{\"type\":7,\"measuredAt\":\"2026-11-26T07:30:00Z\"}|INVALID_FIELD",
            "{\"measuredAt\":\"2026-11-26T07:30:00Z\"}|MISSING_FIELD",
            "{\"type\":\"ecg\",\"measuredAt\":\"2026-11-26T07:30:00Z\"}|UNKNOWN_TYPE",
            "{\"type\":\"blood_pressure\",\"measuredAt\":\"2026-11-26T07:30:00\",\"systolic\":120,\"diastolic\":80}|INVALID_TIMESTAMP",
            "{\"type\":\"blood_pressure\",\"measuredAt\":\"2026-11-26T15:06:00Z\",\"systolic\":120,\"diastolic\":80}|MEASURED_IN_FUTURE",
            "{\"type\":\"blood_pressure\",\"measuredAt\":\"2025-11-01T00:00:00Z\",\"systolic\":120,\"diastolic\":80}|MEASURED_TOO_OLD",
            "{\"type\":\"blood_pressure\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"systolic\":NaN,\"diastolic\":80}|NOT_JSON",
            "{\"a\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}|NOT_JSON",
            "{} {}|NOT_JSON",
            "null|NOT_A_READING",
            "[]|NOT_A_READING",
    })
    void everyContractViolationHasItsReason(String payload, RejectReason reason) {
        assertThat(onlyRejection(payload)).isEqualTo(reason);
    }

    @Test
    void aFutureReadingWithinFiveMinutesOfClockSkewIsAccepted() {
        assertThat(decode("{\"type\":\"blood_pressure\",\"measuredAt\":\"2026-11-26T15:04:59Z\",\"systolic\":120,\"diastolic\":80}").readings()).hasSize(1);
    }

    @Test
    void oversizedPayloadsAndOverlongBatchesAreRefusedWhole() {
        assertThat(decoder.decode("dev-1", new byte[5000]).rejections().get(0).reason()).isEqualTo(RejectReason.PAYLOAD_TOO_LARGE);
        ReadingDecoder roomy = new ReadingDecoder(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(365), 1 << 20);
        String many = "[" + "{\"type\":\"x\"},".repeat(500) + "{\"type\":\"x\"}]";
        DecodedMessage m = roomy.decode("dev-1", many.getBytes(StandardCharsets.UTF_8));
        assertThat(m.rejections()).singleElement().extracting(Rejection::reason).isEqualTo(RejectReason.TOO_MANY_READINGS);
    }

    @Test
    void eachArrayElementStandsAloneAndKeepsItsIndex() {
        DecodedMessage m = decode("[{\"type\":\"blood_pressure\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"systolic\":120,\"diastolic\":80},"
                + "\"junk\",{\"type\":\"oxygen_saturation\",\"measuredAt\":\"2026-11-26T07:31:00Z\",\"spo2\":97}]");
        assertThat(m.readings()).extracting(Reading::elementIndex).containsExactly(0, 2);
        assertThat(m.rejections()).singleElement().satisfies(r -> {
            assertThat(r.elementIndex()).isEqualTo(1);
            assertThat(r.reason()).isEqualTo(RejectReason.NOT_A_READING);
            assertThat(new String(r.raw(), StandardCharsets.UTF_8)).isEqualTo("\"junk\"");
        });
    }

    @Test
    void aBatteryLevelIsKeptWhenReadableAndIgnoredOtherwiseNeverCostingTheReading() {
        String reading = "{\"type\":\"blood_pressure\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"systolic\":128,\"diastolic\":82";
        assertThat(decode(reading + ",\"battery\":17}").readings().get(0).batteryPercent()).isEqualTo(17);
        assertThat(decode(reading + "}").readings().get(0).batteryPercent()).isNull();
        for (String bad : new String[] {"101", "-1", "12.5", "\"low\"", "null", "1e9"}) {
            DecodedMessage m = decode(reading + ",\"battery\":" + bad + "}");
            assertThat(m.readings()).as(bad).hasSize(1);
            assertThat(m.readings().get(0).batteryPercent()).as(bad).isNull();
        }
    }

    /** Issue 14: {"systolic":120,"systolic":300} was stored as 300 (the last key won). */
    @Test
    void aReadingThatNamesAKeyTwiceIsDeadLetteredAsDuplicateKeyWithItsBytes() {
        String twice = "{\"type\":\"blood_pressure\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"systolic\":120,\"systolic\":300,\"diastolic\":80}";
        DecodedMessage m = decode(twice);
        assertThat(m.readings()).isEmpty();
        assertThat(m.rejections()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RejectReason.DUPLICATE_KEY);
            assertThat(r.reason().code()).isEqualTo("duplicate_key");
            assertThat(r.detail()).isEqualTo("key 'systolic' appears more than once");
            assertThat(r.elementIndex()).isEqualTo(-1);
            assertThat(new String(r.raw(), StandardCharsets.UTF_8)).isEqualTo(twice);
        });
        // Nested too (a device's extra object), and with the same value twice: a repeated key is refused whatever it holds.
        assertThat(onlyRejection("{\"type\":\"blood_pressure\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"systolic\":120,\"diastolic\":80,"
                + "\"meta\":{\"fw\":1,\"fw\":1}}")).isEqualTo(RejectReason.DUPLICATE_KEY);
        assertThat(onlyRejection("{\"type\":\"blood_pressure\",\"type\":\"blood_pressure\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"systolic\":120,"
                + "\"diastolic\":80}")).isEqualTo(RejectReason.DUPLICATE_KEY);
    }

    @Test
    void inAStoreAndForwardArrayOnlyTheElementThatRepeatsAKeyIsRefused() {
        String good = "{\"type\":\"blood_pressure\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"systolic\":120,\"diastolic\":80}";
        String bad = "{\"type\":\"blood_pressure\",\"measuredAt\":\"2026-11-26T07:31:00Z\",\"systolic\":120,\"diastolic\":80,\"diastolic\":70}";
        String alsoGood = "{\"type\":\"oxygen_saturation\",\"measuredAt\":\"2026-11-26T07:32:00Z\",\"spo2\":97}";
        DecodedMessage m = decode("[" + good + ", " + bad + ",\n" + alsoGood + ", 7]");
        assertThat(m.readings()).extracting(Reading::elementIndex).containsExactly(0, 2);
        assertThat(m.rejections()).hasSize(2);
        Rejection duplicate = m.rejections().get(0);
        assertThat(duplicate.reason()).isEqualTo(RejectReason.DUPLICATE_KEY);
        assertThat(duplicate.elementIndex()).isEqualTo(1);
        assertThat(new String(duplicate.raw(), StandardCharsets.UTF_8)).as("the element's own bytes").isEqualTo(bad);
        assertThat(m.rejections().get(1).reason()).isEqualTo(RejectReason.NOT_A_READING);
        assertThat(m.rejections().get(1).elementIndex()).isEqualTo(3);
        assertThat(new String(m.rejections().get(1).raw(), StandardCharsets.UTF_8)).isEqualTo("7");
        // Broken JSON after the repeated key is still not JSON, for the whole message.
        assertThat(onlyRejection("[" + bad + ", {\"type\":")).isEqualTo(RejectReason.NOT_JSON);
    }

    @Test
    void aReadingIdWithAControlCharacterIsRefused() {
        assertThat(onlyRejection("{\"type\":\"oxygen_saturation\",\"measuredAt\":\"2026-11-26T07:30:00Z\",\"spo2\":97,\"readingId\":\"r\\u0000-1\"}"))
                .isEqualTo(RejectReason.INVALID_FIELD);
    }
}
