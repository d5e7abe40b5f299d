package health.careloop.bench.jmh;

import health.careloop.billing.claims.BillingSettings;
import health.careloop.billing.claims.MonthOutcome;
import health.careloop.billing.claims.MonthRules;
import health.careloop.billing.claims.PatientMonth;
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

import java.util.concurrent.TimeUnit;

/**
 * Billing's claim decision for one patient and month ({@link MonthRules#evaluate}), in memory, for the typical cases of
 * a practice: the share of the month close that is rules, without its reads and writes. The reference in the same run
 * is a deep copy of the same input ({@link TypicalPatientMonths#copy}): every input item touched, nothing decided.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ClaimComputationBenchmark {

    @Param({"RPM_16_DAYS_20_MIN", "RPM_16_DAYS_40_MIN", "RPM_AND_CCM", "PCM", "NOTHING_BILLABLE"})
    public TypicalPatientMonths.Case patient;

    private final MonthRules rules = new MonthRules(BillingSettings.defaults());
    private PatientMonth month;

    @Setup
    public void setUp() {
        month = TypicalPatientMonths.of(patient);
        TypicalPatientMonths.check(patient, rules.evaluate(month));
    }

    @Benchmark
    public MonthOutcome claimDecision() {
        return rules.evaluate(month);
    }

    /** Reference: a deep copy of the same patient-month, nothing decided. */
    @Benchmark
    public PatientMonth referenceCopyOfInput() {
        return TypicalPatientMonths.copy(month);
    }
}
