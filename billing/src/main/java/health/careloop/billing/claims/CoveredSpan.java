package health.careloop.billing.claims;

import health.careloop.clinical.consent.Program;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The gate shared by all codes: the covered part of a period (consent, enrolment, eligibility), its date of service (the
 * period's last day, or the last covered day when coverage ended inside it, and never after asOf), the days that
 * count, and the one billing practitioner; or why nothing can be billed for it.
 */
final class CoveredSpan {
    LocalDate dateOfService;
    Predicate<LocalDate> covered;
    DayCoverage atService;
    String failure;

    private CoveredSpan() {
    }

    static CoveredSpan of(PatientMonth m, Program program, LocalDate from, LocalDate to) {
        CoveredSpan s = new CoveredSpan();
        LocalDate end = min(to, m.asOf());
        LocalDate lastReady = null;
        Set<UUID> practitioners = new LinkedHashSet<>();
        List<String> changes = new ArrayList<>();
        UUID previous = null;
        for (LocalDate d = from; !d.isAfter(end); d = d.plusDays(1)) {
            DayCoverage c = m.coverage(program, d);
            if (c.ready()) {
                lastReady = d;
                if (practitioners.add(c.practitionerId()) && previous != null) {
                    changes.add(d.toString());
                }
                previous = c.practitionerId();
            }
        }
        if (lastReady == null) {
            s.failure = "not billable for " + from + " to " + to + ": " + m.coverage(program, end).reason();
            return s;
        }
        if (practitioners.size() > 1) {
            // billing-rules.md 1.2 [S10][S12][S13]: one practitioner per P30 (RPM); 2.2 [S18]/7.7: one per month (CCM).
            s.failure = practitioners.size() + " billing practitioners between " + from + " and " + to + " (changed on " + String.join(", ", changes)
                    + "); only one may bill the period.";
            return s;
        }
        s.dateOfService = lastReady;
        s.atService = m.coverage(program, lastReady);
        s.covered = d -> m.coverage(program, d).ready();
        if (s.atService.npi() == null) {
            s.failure = "the billing practitioner has no NPI on file.";
        } else if (s.atService.diagnoses().isEmpty()) {
            s.failure = "no qualifying ICD-10-CM diagnosis on " + lastReady + ".";
        }
        return s;
    }

    /** Whether the patient is covered for the program on any day from {@code from} to {@code to}. */
    static boolean anyReady(PatientMonth m, Program program, LocalDate from, LocalDate to) {
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            if (m.coverage(program, d).ready()) {
                return true;
            }
        }
        return false;
    }

    static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }
}
