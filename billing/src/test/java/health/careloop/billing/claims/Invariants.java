package health.careloop.billing.claims;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The exclusivity and cap rules every outcome must respect (billing-rules.md 1.1, 2.1, 2.4, 7.3, 7.5). */
final class Invariants {
    private Invariants() {
    }

    static void check(MonthOutcome out, BillingSettings settings) {
        List<ClaimLine> lines = out.lines();
        Set<String> keys = new HashSet<>();
        for (ClaimLine l : lines) {
            assertThat(keys.add(l.code().cpt() + "@" + l.periodEnd())).as("one line per code and period: " + lines).isTrue();
            assertThat(l.dateOfService()).isBetween(l.periodStart(), l.periodEnd());
            assertThat(l.diagnoses()).hasSizeBetween(1, 12);
        }
        for (ClaimLine l : lines) {
            boolean samePeriod454 = has(lines, "99454", l) && has(lines, "99445", l);
            assertThat(samePeriod454).as("99454 + 99445 in one P30").isFalse();
        }
        assertThat(has(lines, "99457") && has(lines, "99470")).as("99457 + 99470").isFalse();
        assertThat(!has(lines, "99458") || has(lines, "99457")).as("99458 without 99457").isTrue();
        assertThat(has(lines, "99091") && (has(lines, "99457") || has(lines, "99458") || has(lines, "99470"))).as("99091 with management").isFalse();
        int tracks = (has(lines, "99490") ? 1 : 0) + (has(lines, "99487") ? 1 : 0) + (has(lines, "99491") ? 1 : 0);
        assertThat(tracks).as("one CCM track").isLessThanOrEqualTo(1);
        assertThat(!has(lines, "99439") || has(lines, "99490")).isTrue();
        assertThat(!has(lines, "99489") || has(lines, "99487")).isTrue();
        assertThat(!has(lines, "99437") || has(lines, "99491")).isTrue();
        lines.stream().filter(l -> l.code().cpt().equals("99439")).forEach(l -> assertThat(l.units()).isLessThanOrEqualTo(2));
        // APCM (2.4 [S26][S6]): one level a month, and it bundles CCM and PCM.
        assertThat(lines.stream().filter(l -> l.code().program() == health.careloop.clinical.consent.Program.APCM).count()).isLessThanOrEqualTo(1);
        if (lines.stream().anyMatch(l -> l.code().program() == health.careloop.clinical.consent.Program.APCM)) {
            assertThat(lines).as("APCM with CCM/PCM").noneMatch(l -> l.code().program() == health.careloop.clinical.consent.Program.CCM
                    || l.code().program() == health.careloop.clinical.consent.Program.PCM);
        }
        // PCM (2.3, 2.4 [S28]): one track, add-ons with their base, never with CCM of the same practitioner.
        assertThat(has(lines, "99424") && has(lines, "99426")).as("one PCM track").isFalse();
        assertThat(!has(lines, "99425") || has(lines, "99424")).isTrue();
        assertThat(!has(lines, "99427") || has(lines, "99426")).isTrue();
        for (ClaimLine p : lines) {
            if (p.code().program() == health.careloop.clinical.consent.Program.PCM) {
                assertThat(lines).as("CCM and PCM by one practitioner").noneMatch(c -> c.code().program() == health.careloop.clinical.consent.Program.CCM
                        && c.code() != BillingCode.CCM_INITIATING_ASSESSMENT && c.billingPractitionerId().equals(p.billingPractitionerId()));
            }
        }
        lines.stream().filter(l -> l.code().cpt().equals("99458")).forEach(l -> assertThat(l.units()).isLessThanOrEqualTo(settings.max99458Units()));
    }

    private static boolean has(List<ClaimLine> lines, String cpt) {
        return lines.stream().anyMatch(l -> l.code().cpt().equals(cpt));
    }

    private static boolean has(List<ClaimLine> lines, String cpt, ClaimLine same) {
        return lines.stream().anyMatch(l -> l.code().cpt().equals(cpt) && l.periodEnd().equals(same.periodEnd()));
    }
}
