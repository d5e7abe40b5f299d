package health.careloop.clinical.rules;

import health.careloop.ingest.storage.StoredReading;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static health.careloop.clinical.rules.Readings.T0;
import static health.careloop.clinical.rules.Readings.bp;
import static health.careloop.clinical.rules.Readings.days;
import static health.careloop.clinical.rules.Readings.glucose;
import static health.careloop.clinical.rules.Readings.spo2;
import static health.careloop.clinical.rules.Readings.weight;
import static org.assertj.core.api.Assertions.assertThat;

/** Every reading rule with readings that trip it and readings that do not. Pure: no database. */
class ReadingRulesTest {
    private static final Thresholds DEFAULTS = Thresholds.defaults();
    private static final Thresholds HEART_FAILURE = Thresholds.forPatient(List.of("I50.22", "I10"), Map.of());
    private final ReadingRules rules = new ReadingRules();

    private List<Finding> evaluate(StoredReading reading, Thresholds t, StoredReading... others) {
        List<StoredReading> recent = Stream.concat(Stream.of(reading), Stream.of(others))
                .sorted(Comparator.comparing(StoredReading::measuredAt)).toList();
        return rules.evaluate(reading, recent, t);
    }

    private static List<String> ids(List<Finding> findings) {
        return findings.stream().map(Finding::ruleId).toList();
    }

    @Test
    void bloodPressureAbove180Or120IsACrisisAndStage2IsLow() {
        assertThat(ids(evaluate(bp(T0, 181, 100), DEFAULTS))).containsExactly("bp_crisis");
        assertThat(ids(evaluate(bp(T0, 150, 121), DEFAULTS))).containsExactly("bp_crisis");
        Finding crisis = evaluate(bp(T0, 190, 125), DEFAULTS).get(0);
        assertThat(crisis.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(crisis.trigger()).isEqualTo(new ReadingRef("cuff-1", "blood_pressure", T0));
        // 180/120 exactly is not a crisis (AHA: above 180 and/or above 120) but is stage 2.
        List<Finding> edge = evaluate(bp(T0, 180, 120), DEFAULTS);
        assertThat(ids(edge)).containsExactly("bp_high");
        assertThat(edge.get(0).severity()).isEqualTo(Severity.LOW);
        assertThat(ids(evaluate(bp(T0, 140, 80), DEFAULTS))).containsExactly("bp_high");
        assertThat(ids(evaluate(bp(T0, 120, 90), DEFAULTS))).containsExactly("bp_high");
        assertThat(evaluate(bp(T0, 139, 89), DEFAULTS)).isEmpty();
    }

    @Test
    void threeStage2ReadingsWithinSevenDaysAreHighInEitherArrivalOrder() {
        StoredReading first = bp(days(0), 150, 95);
        StoredReading second = bp(days(3), 145, 85);
        StoredReading third = bp(days(6.9), 142, 91);
        List<Finding> latest = evaluate(third, DEFAULTS, first, second);
        assertThat(ids(latest)).containsExactlyInAnyOrder("bp_high", "bp_high_repeated");
        Finding repeated = latest.stream().filter(f -> f.ruleId().equals("bp_high_repeated")).findFirst().orElseThrow();
        assertThat(repeated.severity()).isEqualTo(Severity.HIGH);
        assertThat(repeated.readings()).extracting(ReadingRef::measuredAt).containsExactly(days(0), days(3), days(6.9));
        // The middle reading arriving last completes the series too.
        assertThat(ids(evaluate(second, DEFAULTS, first, third))).contains("bp_high_repeated");
        // Spread over more than 7 days, or with a normal reading in between, it is not.
        assertThat(ids(evaluate(bp(days(7.5), 142, 91), DEFAULTS, first, second))).doesNotContain("bp_high_repeated");
        assertThat(ids(evaluate(third, DEFAULTS, first, bp(days(3), 130, 80)))).doesNotContain("bp_high_repeated");
        // A normal new reading never raises the repeated rule, however many high ones surround it.
        assertThat(evaluate(bp(days(4), 120, 80), DEFAULTS, first, second, third)).isEmpty();
        // A provider's override: 2 within 3 days.
        Thresholds two = Thresholds.forPatient(List.of(), Map.of(ThresholdKey.BP_REPEAT_COUNT, BigDecimal.valueOf(2),
                ThresholdKey.BP_REPEAT_WINDOW_DAYS, BigDecimal.valueOf(3)));
        assertThat(ids(evaluate(second, two, first))).contains("bp_high_repeated");
        assertThat(ids(evaluate(bp(days(4), 150, 95), two, first))).doesNotContain("bp_high_repeated");
    }

    @Test
    void glucoseBelow54IsLevel2CriticalAndBelow70Level1High() {
        List<Finding> level2 = evaluate(glucose(T0, "53.9"), DEFAULTS);
        assertThat(ids(level2)).containsExactly("glucose_level2");
        assertThat(level2.get(0).severity()).isEqualTo(Severity.CRITICAL);
        List<Finding> level1 = evaluate(glucose(T0, "54"), DEFAULTS);
        assertThat(ids(level1)).containsExactly("glucose_level1");
        assertThat(level1.get(0).severity()).isEqualTo(Severity.HIGH);
        assertThat(ids(evaluate(glucose(T0, "69.9"), DEFAULTS))).containsExactly("glucose_level1");
        assertThat(evaluate(glucose(T0, "70"), DEFAULTS)).isEmpty();
        assertThat(evaluate(glucose(T0, "350"), DEFAULTS)).isEmpty();
    }

    @Test
    void spo2Below90AlertsAndWithCopdOnlyBelow88() {
        assertThat(ids(evaluate(spo2(T0, "89.9"), DEFAULTS))).containsExactly("spo2_low");
        assertThat(evaluate(spo2(T0, "90"), DEFAULTS)).isEmpty();
        Thresholds copd = Thresholds.forPatient(List.of("J44.9"), Map.of());
        assertThat(copd.source(ThresholdKey.SPO2_LOW_BELOW)).isEqualTo(Thresholds.Source.CONDITION);
        assertThat(evaluate(spo2(T0, "89"), copd)).isEmpty();
        assertThat(evaluate(spo2(T0, "88"), copd)).isEmpty();
        assertThat(ids(evaluate(spo2(T0, "87.5"), copd))).containsExactly("spo2_low");
        // A provider's override wins over the condition default.
        Thresholds overridden = Thresholds.forPatient(List.of("J44.9"), Map.of(ThresholdKey.SPO2_LOW_BELOW, new BigDecimal("85")));
        assertThat(evaluate(spo2(T0, "86"), overridden)).isEmpty();
        assertThat(overridden.source(ThresholdKey.SPO2_LOW_BELOW)).isEqualTo(Thresholds.Source.OVERRIDE);
    }

    @Test
    void heartFailureWeightGainOver24HoursAnd7Days() {
        StoredReading monday = weight(days(0), "80.00");
        // +0.91 kg (2 lb) in 24 h: above 0.9.
        assertThat(ids(evaluate(weight(days(1), "80.91"), HEART_FAILURE, monday))).containsExactly("hf_weight_gain_24h");
        assertThat(evaluate(weight(days(1), "80.90"), HEART_FAILURE, monday)).isEmpty();
        // Without heart failure weight is not judged.
        assertThat(evaluate(weight(days(1), "83.00"), DEFAULTS, monday)).isEmpty();
        // +2.4 kg over 6 days in small daily steps: the 7-day rule, not the 24-hour one.
        List<Finding> week = evaluate(weight(days(6), "82.40"), HEART_FAILURE, monday, weight(days(2), "80.60"),
                weight(days(4), "81.40"), weight(days(5), "81.80"));
        assertThat(ids(week)).containsExactly("hf_weight_gain_7d");
        assertThat(week.get(0).readings()).extracting(ReadingRef::measuredAt).containsExactly(days(0), days(6));
        // Older than 7 days does not count.
        assertThat(evaluate(weight(days(7.5), "82.40"), HEART_FAILURE, monday)).isEmpty();
        // A loss is not a gain.
        assertThat(evaluate(weight(days(1), "78.00"), HEART_FAILURE, monday)).isEmpty();
    }

    @Test
    void aLateWeightReadingIsJudgedAtItsMeasuredTime() {
        // Tuesday's 81.2 kg arrived first; Monday's 80.0 kg arrives late. The gain is Monday → Tuesday.
        StoredReading tuesday = weight(days(1), "81.20");
        StoredReading lateMonday = weight(days(0), "80.00");
        List<Finding> findings = evaluate(lateMonday, HEART_FAILURE, tuesday);
        assertThat(ids(findings)).containsExactly("hf_weight_gain_24h");
        assertThat(findings.get(0).trigger().measuredAt()).isEqualTo(days(0));
        assertThat(findings.get(0).readings()).extracting(ReadingRef::measuredAt).containsExactly(days(0), days(1));
        // A late reading in the middle that is heavier than both neighbours' difference does not invent a gain
        // from a later, lighter reading.
        assertThat(evaluate(weight(days(0.5), "80.10"), HEART_FAILURE, weight(days(0), "80.00"), weight(days(1), "80.20"))).isEmpty();
    }

    @Test
    void conditionsDecideWhichDefaultsApply() {
        assertThat(Thresholds.forPatient(List.of("I11.0"), Map.of()).enabled(ThresholdKey.WEIGHT_TREND_ENABLED)).isTrue();
        assertThat(Thresholds.forPatient(List.of("I10"), Map.of()).enabled(ThresholdKey.WEIGHT_TREND_ENABLED)).isFalse();
        assertThat(Thresholds.forPatient(List.of("J45.909"), Map.of()).value(ThresholdKey.SPO2_LOW_BELOW)).isEqualByComparingTo("90");
        assertThat(ThresholdKey.fromKey("bp.crisis_systolic")).contains(ThresholdKey.BP_CRISIS_SYSTOLIC);
        assertThat(ThresholdKey.SPO2_LOW_BELOW.allows(new BigDecimal("70"))).isFalse();
    }

    @Test
    void onlyReadingsThatASeriesOrTrendRuleMayUseNeedTheirRecentReadings() {
        // The evaluator loads a patient's recent readings only when some rule says it may use them.
        assertThat(rules.needsRecent(bp(T0, 120, 80), DEFAULTS)).isFalse();
        assertThat(rules.needsRecent(bp(T0, 150, 95), DEFAULTS)).isTrue();
        assertThat(rules.needsRecent(bp(T0, 200, 110), DEFAULTS)).isTrue();
        assertThat(rules.needsRecent(glucose(T0, "40"), DEFAULTS)).isFalse();
        assertThat(rules.needsRecent(spo2(T0, "85"), DEFAULTS)).isFalse();
        assertThat(rules.needsRecent(weight(T0, "90"), DEFAULTS)).isFalse();
        assertThat(rules.needsRecent(weight(T0, "90"), HEART_FAILURE)).isTrue();
        // A lower stage-2 limit by override makes 132/80 a reading that may complete a series.
        Thresholds lower = Thresholds.forPatient(List.of(), Map.of(ThresholdKey.BP_HIGH_SYSTOLIC, BigDecimal.valueOf(130)));
        assertThat(rules.needsRecent(bp(T0, 132, 80), lower)).isTrue();

        // And where none does, the findings are the same whatever else is around.
        StoredReading[] around = {bp(days(-2), 150, 95), bp(days(-1), 160, 100), weight(days(-0.5), "70"), glucose(days(-0.2), "50"),
                spo2(days(-0.1), "85"), bp(days(1), 155, 92)};
        for (Thresholds t : List.of(DEFAULTS, HEART_FAILURE, lower)) {
            for (StoredReading r : List.of(bp(T0, 120, 80), bp(T0, 138, 88), bp(T0, 132, 80), glucose(T0, "40"), glucose(T0, "65"),
                    glucose(T0, "120"), spo2(T0, "85"), spo2(T0, "97"), weight(T0, "90"))) {
                if (!rules.needsRecent(r, t)) {
                    assertThat(evaluate(r, t, around)).as("%s", r).isEqualTo(evaluate(r, t));
                }
            }
        }
    }
}
