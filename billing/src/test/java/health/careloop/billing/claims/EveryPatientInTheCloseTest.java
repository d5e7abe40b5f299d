package health.careloop.billing.claims;

import health.careloop.clinical.consent.Program;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A patient with a consent or an enrolment in a program appears in the month for it, billed or with a reason: never
 * silently absent (issue 18: a patient refused at enrolment vanished from the close).
 */
class EveryPatientInTheCloseTest {
    static final LocalDate NOV = LocalDate.of(2026, 11, 1);
    static final AtomicLong SEEDS = new AtomicLong(Long.getLong("careloop.test.seed", 18L));

    @Test
    void aProgramNotCoveredAllMonthSaysWhyUnderItsMainCode() {
        MonthOutcome out = new MonthRules(BillingSettings.defaults()).evaluate(new Facts()
                .uncoveredFrom(Program.PCM, LocalDate.of(2026, 8, 1), "No PCM consent: the patient declined at enrolment.").build());
        assertThat(out.notBilled()).filteredOn(n -> n.code().program() == Program.PCM).isNotEmpty()
                .anySatisfy(n -> assertThat(n.reason()).contains("the patient declined at enrolment"));
    }

    @Test
    void aCoveredProgramWithNothingLoggedStillHasALineOrAReason() {
        MonthOutcome out = new MonthRules(BillingSettings.defaults()).evaluate(new Facts().build());
        for (Program p : new Program[]{Program.RPM, Program.CCM, Program.PCM}) {
            assertThat(out.lines().stream().anyMatch(l -> l.code().program() == p) || out.notBilled().stream().anyMatch(n -> n.code().program() == p))
                    .as("%s in %s", p, out).isTrue();
        }
    }

    /** Random facts: every program the patient has coverage records in is accounted for, and a reason is never filed twice. */
    @RepeatedTest(200)
    void everyProgramWithRecordsIsAccountedFor() {
        Random r = new Random(SEEDS.getAndIncrement());
        Facts f = new Facts();
        for (Program p : new Program[]{Program.RPM, Program.CCM, Program.PCM}) {
            if (r.nextInt(3) == 0) {
                f.uncoveredFrom(p, NOV.plusDays(r.nextInt(30) - 10), "no " + p + " consent");
            }
        }
        if (r.nextBoolean()) {
            f.rpm(1 + r.nextInt(50));
        }
        if (r.nextBoolean()) {
            f.ccm(1 + r.nextInt(70));
        }
        if (r.nextBoolean()) {
            f.pcm(1 + r.nextInt(70));
        }
        if (r.nextBoolean()) {
            f.dataDays(LocalDate.of(2026, 10, 31), r.nextInt(30));
        }
        PatientMonth m = f.build();
        MonthOutcome out = new MonthRules(BillingSettings.defaults()).evaluate(m);
        for (Map.Entry<Program, Map<LocalDate, DayCoverage>> e : m.coverage().entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            Program p = e.getKey();
            assertThat(out.lines().stream().anyMatch(l -> l.code().program() == p) || out.notBilled().stream().anyMatch(n -> n.code().program() == p))
                    .as("%s in %s", p, out).isTrue();
        }
        assertThat(out.notBilled().stream().map(n -> n.code() + "/" + n.periodEnd()).distinct().count()).isEqualTo(out.notBilled().size());
    }
}
