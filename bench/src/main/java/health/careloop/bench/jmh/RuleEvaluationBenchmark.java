package health.careloop.bench.jmh;

import health.careloop.clinical.rules.Finding;
import health.careloop.clinical.rules.ReadingRules;
import health.careloop.clinical.rules.Thresholds;
import health.careloop.ingest.storage.StoredReading;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The clinical rules for one new reading: every rule over the patient's readings around it (the repeated-high and
 * weight-trend rules look back days). {@code window} is how many readings of the last 8 days the evaluator hands in;
 * 0 is the reference (the same reading judged alone), so the difference is what the trend rules cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RuleEvaluationBenchmark {
    private static final UUID PATIENT = UUID.randomUUID();
    private static final UUID PRACTICE = UUID.randomUUID();
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    @Param({"0", "32", "200"})
    public int window;
    @Param({"normal", "stage2"})
    public String kind;

    private final ReadingRules rules = new ReadingRules();
    private Thresholds thresholds;
    private StoredReading reading;
    private List<StoredReading> recent;

    @Setup
    public void setUp() {
        thresholds = Thresholds.forPatient(List.of("I10", "I50.22", "E11.9"), Map.of());
        boolean high = kind.equals("stage2");
        reading = bp(NOW, high ? 152 : 124, high ? 94 : 79);
        recent = new ArrayList<>();
        for (int i = 1; i <= window; i++) {
            Instant at = NOW.minus(Duration.ofMinutes(i * (8L * 24 * 60) / Math.max(1, window)));
            recent.add(i % 4 == 0 ? weight(at, 82.0 + (i % 7) * 0.1) : bp(at, 118 + i % 30, 76 + i % 14));
        }
    }

    @Benchmark
    public List<Finding> evaluate() {
        return rules.evaluate(reading, recent, thresholds);
    }

    private static StoredReading bp(Instant at, int systolic, int diastolic) {
        return new StoredReading("cuff-1", "blood_pressure", at, 0, at, PATIENT, PRACTICE, LocalDate.of(2026, 11, 27), null,
                systolic, diastolic, null, null, null, null, null, "mmHg", "85354-9", null);
    }

    private static StoredReading weight(Instant at, double kg) {
        return new StoredReading("scale-1", "body_weight", at, 0, at, PATIENT, PRACTICE, LocalDate.of(2026, 11, 27), null,
                null, null, null, null, null, BigDecimal.valueOf(kg), null, "kg", "29463-7", null);
    }
}
