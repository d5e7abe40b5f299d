package health.careloop.billing.claims;

import health.careloop.billing.ledger.InteractionMode;
import health.careloop.clinical.consent.Program;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random patient-months (SplittableRandom; a failure prints its seed): no minute counts twice, billed minutes
 * never exceed logged minutes, exclusivity and caps always hold, and the result does not depend on the order in which
 * entries were made.
 */
class MonthRulesPropertyTest {
    static final int SCENARIOS = 3000;
    /** Whose time an entry is, weighted: mostly nurses, then the usual billing practitioner, then two other physicians. */
    static final java.util.UUID[] STAFF = {Facts.NURSE, Facts.NURSE, Facts.NURSE, Facts.NURSE_TWO, Facts.DR_ONE, Facts.DR_ONE, Facts.DR_TWO,
            Facts.DR_THREE};

    @Test
    void randomMonthsKeepTheInvariants() {
        long seed = Long.getLong("careloop.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < SCENARIOS; i++) {
            long scenarioSeed = random.nextLong();
            try {
                scenario(new SplittableRandom(scenarioSeed));
            } catch (AssertionError e) {
                throw new AssertionError("scenario seed " + scenarioSeed + " (run seed " + seed + "): " + e.getMessage(), e);
            }
        }
    }

    private static void scenario(SplittableRandom r) {
        Facts f = new Facts();
        if (r.nextInt(4) == 0) {
            f.zone(r.nextBoolean() ? "Europe/Berlin" : "Pacific/Honolulu");
        }
        f.monitoringStart(LocalDate.of(2026, 9, 1).plusDays(r.nextInt(90)));
        int days = r.nextInt(40);
        for (int d = 0; d < days; d++) {
            f.dataDays.add(LocalDate.of(2026, 10, 1).plusDays(r.nextInt(62)));
        }
        int entries = r.nextInt(12);
        Instant base = LocalDate.of(2026, 10, 25).atStartOfDay(f.zone).toInstant();
        for (int e = 0; e < entries; e++) {
            Instant start = base.plusSeconds(r.nextLong(40L * 24 * 3600));
            Instant end = start.plusSeconds(60 + r.nextLong(50 * 60));
            InteractionMode mode = r.nextInt(3) == 0 ? InteractionMode.values()[r.nextInt(3)] : null;
            f.interval(STAFF[r.nextInt(STAFF.length)], Program.values()[r.nextInt(Program.values().length)], start, end, mode);
        }
        if (r.nextInt(6) == 0) {
            // billing-rules.md 2.1 [S22]: a hospital stay somewhere around the month (open in some cases).
            java.time.LocalDateTime admitted = LocalDate.of(2026, 10, 20).plusDays(r.nextInt(45)).atTime(r.nextInt(24), 0);
            f.stay(admitted, r.nextInt(4) == 0 ? null : admitted.plusHours(6 + r.nextInt(24 * 10)));
        }
        if (r.nextInt(10) == 0) {
            f.noVisits();
        }
        if (r.nextInt(5) == 0) {
            f.uncoveredFrom(Program.RPM, LocalDate.of(2026, 11, 1).plusDays(r.nextInt(30)), "RPM consent revoked.");
        }
        if (r.nextInt(5) == 0) {
            f.apcm(LocalDate.of(2026, 8, 1).plusDays(r.nextInt(120))).chronicConditions(r.nextInt(4));
        }
        if (r.nextInt(4) == 0) {
            f.practitionerFrom(Program.PCM, LocalDate.of(2026, 8, 1).plusDays(r.nextInt(120)), Facts.DR_TWO);
        }
        if (r.nextInt(8) == 0) {
            f.practitionerFrom(Program.CCM, LocalDate.of(2026, 11, 1).plusDays(r.nextInt(30)), Facts.DR_TWO);
        }
        if (r.nextInt(3) == 0) {
            f.carePlanChangedOn(LocalDate.of(2026, 11, 1).plusDays(r.nextInt(30)));
        }
        if (r.nextInt(2) == 0) {
            f.complexDecisionMaking(r.nextBoolean() ? "moderate" : "high");
        }
        if (r.nextInt(10) == 0) {
            f.noCarePlan();
        }
        if (r.nextInt(5) == 0) {
            f.managementBilledLastMonth();
        }
        BillingSettings settings = BillingSettings.defaults().withMax99458Units(2 + r.nextInt(2)).withMessagingIsInteractive(r.nextBoolean());
        MonthRules rules = new MonthRules(settings);
        PatientMonth facts = f.build();
        MonthOutcome out = rules.evaluate(facts);

        Invariants.check(out, settings);

        // Billed minutes never exceed the logged minutes of their program in their window (overlaps counted once).
        LocalDate first = facts.month().atDay(1);
        LocalDate last = facts.month().atEndOfMonth();
        for (Program program : Program.values()) {
            int logged = MinuteCount.minutes(facts.time().stream().filter(t -> t.program() == program).toList(), first, last, facts.zone(), d -> true);
            int billed = out.lines().stream().filter(l -> l.code().program() == program && l.code().window() == BillingCode.Window.CALENDAR_MONTH)
                    .filter(l -> l.minutesCounted() != null).mapToInt(l -> l.minutesCounted()).sum();
            assertThat(billed).as(program + " month minutes billed vs logged").isLessThanOrEqualTo(logged);
        }
        // 99091 counts the billing practitioner's own minutes of its P30 that no management code of this or last month counted.
        for (ClaimLine l : out.lines()) {
            if (l.code() == BillingCode.RPM_PHYSICIAN_INTERPRETATION) {
                LocalDate from = facts.rpmManagementBilledLastMonth() && l.periodStart().isBefore(first) ? first : l.periodStart();
                int own = MinuteCount.minutes(facts.time().stream().filter(t -> t.program() == Program.RPM && t.personallyBy(l.billingPractitionerId()))
                        .toList(), from, l.periodEnd(), facts.zone(), d -> true);
                assertThat(own).as("99091 by the billing practitioner's own minutes").isGreaterThanOrEqualTo(30).isGreaterThanOrEqualTo(l.minutesCounted());
            }
        }
        // The staff dimension (issue 18): a practitioner-only code (99491 + 99437, 99424 + 99425) never bills more minutes than
        // the line's billing practitioner logged personally, so no other physician's minute goes under their NPI; and the
        // month's care-management lines never bill more than the minutes logged, so no minute is on two tracks.
        for (BillingCode own30 : List.of(BillingCode.CCM_PHYSICIAN_30, BillingCode.PCM_PHYSICIAN_30)) {
            out.lines().stream().filter(l -> l.code() == own30).forEach(l -> {
                int own = MinuteCount.minutes(facts.time().stream().filter(t -> t.program() == own30.program() && t.personallyBy(l.billingPractitionerId()))
                        .toList(), first, last, facts.zone(), d -> true);
                int billed = out.lines().stream().filter(x -> x.code().program() == own30.program() && x.minutesCounted() != null
                        && (x.code() == own30 || x.code() == BillingCode.CCM_PHYSICIAN_ADDON || x.code() == BillingCode.PCM_PHYSICIAN_ADDON))
                        .mapToInt(ClaimLine::minutesCounted).sum();
                assertThat(own).as(own30.cpt() + " minutes vs the billing practitioner's own").isGreaterThanOrEqualTo(30).isGreaterThanOrEqualTo(billed);
                assertThat(l.justification()).as("names whose minutes").contains("personally by the enrolled billing practitioner "
                        + Facts.NAMES.get(l.billingPractitionerId()));
            });
        }
        // Entry order does not matter.
        List<LoggedTime> shuffled = new ArrayList<>(facts.time());
        Collections.shuffle(shuffled, new Random(r.nextLong()));
        PatientMonth reordered = new PatientMonth(facts.patientId(), facts.month(), facts.zone(), facts.monitoringStart(), facts.dataDays(),
                shuffled, facts.coverage(), facts.substantialCarePlanChanges(), facts.carePlanSince(), facts.setupBilledBefore(),
                facts.rpmManagementBilledLastMonth(), facts.asOf(), facts.encounters(), facts.complexDecisionMaking(), facts.staffNames());
        assertThat(rules.evaluate(reordered)).isEqualTo(out);
    }

    @Test
    void aMinuteIsNeverCountedTwiceWhenIntervalsOverlap() {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 2000; i++) {
            List<LoggedTime> times = new ArrayList<>();
            boolean[] covered = new boolean[24 * 60];
            Instant day = LocalDate.of(2026, 11, 10).atStartOfDay(Facts.CHICAGO).toInstant();
            for (int e = 0, n = 1 + r.nextInt(8); e < n; e++) {
                int s = r.nextInt(23 * 60);
                int len = 1 + r.nextInt(60);
                times.add(new LoggedTime(day.plusSeconds(s * 60L), day.plusSeconds((s + len) * 60L), Program.RPM, Facts.NURSE, false, null));
                for (int m = s; m < s + len; m++) {
                    covered[m] = true;
                }
            }
            int expected = 0;
            for (boolean b : covered) {
                expected += b ? 1 : 0;
            }
            LocalDate d = LocalDate.of(2026, 11, 10);
            assertThat(MinuteCount.minutes(times, d, d, Facts.CHICAGO, x -> true)).isEqualTo(expected);
        }
    }
}
