package health.careloop.billing.claims;

import health.careloop.billing.corrections.ClaimVersion;
import health.careloop.billing.corrections.CorrectionPlanner;
import health.careloop.billing.corrections.PlannedCorrection;
import health.careloop.billing.export.Claim837Export;
import health.careloop.billing.ledger.InteractionMode;
import health.careloop.billing.x12.ClaimFrequency;
import health.careloop.clinical.consent.Program;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Corrections after close on seeded random patient-months (a failure prints its seed): a month is closed, then changed
 * after the close one to three times (time added or adjusted, an inpatient stay learnt of, the initiating visit or the
 * complexity record withdrawn, consent revoked, another practitioner), each time followed by "recompute corrections".
 * The claims as they then stand (the close's lines with every correction applied) bill exactly what the month worked
 * out from scratch bills: never a code, a unit, a minute or a data day more, and nothing the month no longer
 * justifies; planning again plans nothing (idempotent).
 */
class CorrectionsPropertyTest {
    static final int SCENARIOS = 800;
    static final YearMonth NOVEMBER = YearMonth.of(2026, 11);

    @Test
    void originalPlusCorrectionsNeverBillMoreThanTheMonthRecomputed() {
        long seed = Long.getLong("careloop.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        Map<ClaimFrequency, Integer> seen = new java.util.EnumMap<>(ClaimFrequency.class);
        for (int i = 0; i < SCENARIOS; i++) {
            long scenarioSeed = random.nextLong();
            try {
                scenario(new SplittableRandom(scenarioSeed)).forEach(p -> seen.merge(p.frequency(), 1, Integer::sum));
            } catch (AssertionError e) {
                throw new AssertionError("scenario seed " + scenarioSeed + " (run seed " + seed + "): " + e.getMessage(), e);
            }
        }
        // The scenarios exercise every kind of correction.
        assertThat(seen.keySet()).as("corrections planned: " + seen).containsExactlyInAnyOrder(ClaimFrequency.values());
    }

    private static List<PlannedCorrection> scenario(SplittableRandom r) {
        Facts f = new Facts();
        f.monitoringStart(LocalDate.of(2026, 9, 1).plusDays(r.nextInt(90)));
        for (int d = 0, n = r.nextInt(40); d < n; d++) {
            f.dataDays.add(LocalDate.of(2026, 10, 1).plusDays(r.nextInt(62)));
        }
        for (int e = 0, n = r.nextInt(10); e < n; e++) {
            addTime(f, r);
        }
        if (r.nextBoolean()) {
            f.complexDecisionMaking("high");
            f.carePlanChangedOn(NOVEMBER.atDay(1 + r.nextInt(30)));
        }
        BillingSettings settings = BillingSettings.defaults();
        MonthRules rules = new MonthRules(settings);
        MonthOutcome closed = rules.evaluate(f.build());
        List<ClaimVersion> current = new ArrayList<>(Claim837Export.originals(Facts.PATIENT, NOVEMBER, closed.lines()).stream()
                .map(c -> new ClaimVersion(Facts.PATIENT, c.controlNumber(), 0, ClaimFrequency.ORIGINAL, c.lines())).toList());

        List<PlannedCorrection> all = new ArrayList<>();
        for (int round = 0, rounds = 1 + r.nextInt(3); round < rounds; round++) {
            changeAfterClose(f, r);
            PatientMonth facts = f.build();
            MonthOutcome recomputed = rules.evaluate(facts);
            Invariants.check(recomputed, settings);
            List<PlannedCorrection> plan = CorrectionPlanner.plan(NOVEMBER, current, Map.of(Facts.PATIENT, recomputed));
            for (PlannedCorrection p : plan) {
                assertThat(p.changes()).as("every correction says what changed").isNotEmpty();
                if (p.frequency() != ClaimFrequency.ORIGINAL) {
                    assertThat(current).as("a replacement or void names a claim that was billed").anyMatch(c -> c.controlNumber().equals(p.controlNumber())
                            && c.version() == p.version() - 1 && !c.voided());
                }
            }
            current = CorrectionPlanner.apply(current, plan);
            all.addAll(plan);

            // Together the claims bill exactly the recomputed month: per code and period, the same units, practitioner and day.
            assertThat(billed(current)).as("original + corrections vs the month from scratch").isEqualTo(billed(recomputed.lines()));
            // ... so no minute or data day is billed twice or beyond what the records now hold.
            LocalDate first = NOVEMBER.atDay(1);
            LocalDate last = NOVEMBER.atEndOfMonth();
            for (Program program : Program.values()) {
                int logged = MinuteCount.minutes(facts.time().stream().filter(t -> t.program() == program).toList(), first, last, facts.zone(), d -> true);
                int minutes = plan.stream().filter(p -> p.frequency() != ClaimFrequency.VOID).flatMap(p -> p.lines().stream())
                        .filter(l -> l.code().program() == program && l.code().window() == BillingCode.Window.CALENDAR_MONTH)
                        .filter(l -> l.minutesCounted() != null).mapToInt(ClaimLine::minutesCounted).sum();
                assertThat(minutes).as(program + " minutes on this round's corrections vs logged").isLessThanOrEqualTo(logged);
            }
            for (ClaimLine l : lines(current)) {
                if (l.dataDays() != null) {
                    long days = facts.dataDays().stream().filter(d -> !d.isBefore(l.periodStart()) && !d.isAfter(l.periodEnd())).count();
                    assertThat(l.dataDays()).as("data days of " + l.code().cpt()).isLessThanOrEqualTo((int) days);
                }
            }
            assertThat(current.stream().map(ClaimVersion::controlNumber).distinct().count()).as("one version per CLM01").isEqualTo(current.size());
            // Idempotent: nothing changed since, nothing to correct.
            assertThat(CorrectionPlanner.plan(NOVEMBER, current, Map.of(Facts.PATIENT, recomputed))).isEmpty();
        }
        return all;
    }

    /** An adjustment or another change after the close. */
    private static void changeAfterClose(Facts f, SplittableRandom r) {
        switch (r.nextInt(8)) {
            case 0, 1, 2 -> addTime(f, r);
            case 3 -> {
                java.time.LocalDateTime admitted = NOVEMBER.atDay(1 + r.nextInt(30)).atTime(r.nextInt(24), 0);
                f.stay(admitted, admitted.plusHours(6 + r.nextInt(24 * 6)));
            }
            case 4 -> f.noVisits();
            case 5 -> f.complexDecisionMaking(null);
            case 6 -> f.uncoveredFrom(Program.RPM, NOVEMBER.atDay(1 + r.nextInt(30)), "RPM consent revoked.");
            default -> {
                if (!f.time.isEmpty()) {
                    f.time.remove(r.nextInt(f.time.size())); // an entry adjusted away (replaced by nothing billable)
                }
            }
        }
    }

    private static void addTime(Facts f, SplittableRandom r) {
        Instant start = NOVEMBER.atDay(1).atStartOfDay(f.zone).toInstant().plusSeconds(r.nextLong(29L * 24 * 3600));
        Instant end = start.plusSeconds(60 + r.nextLong(50 * 60));
        InteractionMode mode = r.nextInt(2) == 0 ? InteractionMode.PHONE : null;
        Program program = List.of(Program.RPM, Program.CCM, Program.PCM).get(r.nextInt(3));
        f.interval(program, start, end, r.nextInt(4) == 0, mode);
    }

    private static List<ClaimLine> lines(List<ClaimVersion> claims) {
        List<ClaimLine> lines = new ArrayList<>();
        claims.forEach(c -> lines.addAll(c.billed()));
        return lines;
    }

    private static Map<String, String> billed(List<?> claimsOrLines) {
        List<ClaimLine> lines = new ArrayList<>();
        for (Object o : claimsOrLines) {
            if (o instanceof ClaimVersion c) {
                lines.addAll(c.billed());
            } else {
                lines.add((ClaimLine) o);
            }
        }
        Map<String, String> out = new TreeMap<>();
        for (ClaimLine l : lines) {
            String previous = out.put(l.code().cpt() + "@" + l.periodEnd(), l.units() + " units on " + l.dateOfService() + " by " + l.billingNpi()
                    + " for " + l.diagnoses());
            assertThat(previous).as("a code and period billed twice: " + l.code().cpt()).isNull();
        }
        return out;
    }
}
