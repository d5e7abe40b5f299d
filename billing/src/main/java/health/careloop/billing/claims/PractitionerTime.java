package health.careloop.billing.claims;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Whose minutes the practitioner-only codes count (billing-rules.md 2.1 "Whose time counts" [S15][S18][S60]). 99491/99437,
 * 99424/99425 and 99091 are work the practitioner performs personally and are billed under the enrolled billing
 * practitioner's NPI, so only the intervals that practitioner logged in their own name count toward them. Minutes of
 * another physician or NPP of the practice are not the billing practitioner's: they count where clinical staff time
 * counts (99490/99439, 99487/99489, 99426/99427, and RPM treatment management) as time under the billing
 * practitioner's general supervision [S17][S60][S61], and never toward those codes, so no minute is billed as one
 * doctor's personal work under another's number. Pure.
 */
final class PractitionerTime {
    private PractitionerTime() {
    }

    /** The billing practitioner's own intervals (their own entries, logged as a physician or NPP). */
    static List<LoggedTime> own(List<LoggedTime> time, UUID billingPractitioner) {
        return time.stream().filter(t -> t.personallyBy(billingPractitioner)).toList();
    }

    /**
     * Words for the minutes other physicians or NPPs logged, which {@code code} does not count: "30 minutes by Dr B, who is
     * not the enrolled billing practitioner Dr A, are not counted toward 99491"; empty when nobody else did. Staff are
     * listed by id, so the words do not depend on the order the entries were made.
     */
    static String notCounted(PatientMonth m, List<LoggedTime> time, UUID billingPractitioner, String code, LocalDate from, LocalDate to,
                             Predicate<LocalDate> covered) {
        List<String> whose = others(m, time, billingPractitioner, from, to, covered);
        if (whose.isEmpty()) {
            return "";
        }
        boolean one = whose.size() == 1 && whose.get(0).startsWith("1 minute ");
        return String.join(" and ", whose) + (whose.size() == 1 ? ", who is not " : ", who are not ") + practitioner(m, billingPractitioner)
                + (one ? ", is" : ", are") + " not counted toward " + code;
    }

    /**
     * Words for other physicians' or NPPs' minutes counted as clinical staff time in a staff-time code's total: " (30
     * minutes by Dr B, who is not the enrolled billing practitioner, counted as clinical staff time)"; empty when there are none.
     */
    static String countedAsStaff(PatientMonth m, List<LoggedTime> time, UUID billingPractitioner, LocalDate from, LocalDate to,
                                 Predicate<LocalDate> covered) {
        List<String> whose = others(m, time, billingPractitioner, from, to, covered);
        if (whose.isEmpty()) {
            return "";
        }
        return " (" + String.join(" and ", whose) + (whose.size() == 1 ? ", who is not " : ", who are not ")
                + "the enrolled billing practitioner, counted as clinical staff time)";
    }

    /** The billing practitioner in words: "the enrolled billing practitioner Dr A". */
    static String practitioner(PatientMonth m, UUID billingPractitioner) {
        String name = m.staffName(billingPractitioner, null);
        return name == null ? "the enrolled billing practitioner" : "the enrolled billing practitioner " + name;
    }

    /** "30 minutes by Dr B" for each other physician/NPP with at least a counted minute, by staff id. */
    private static List<String> others(PatientMonth m, List<LoggedTime> time, UUID billingPractitioner, LocalDate from, LocalDate to,
                                       Predicate<LocalDate> covered) {
        Map<UUID, List<LoggedTime>> byStaff = new TreeMap<>();
        for (LoggedTime t : time) {
            if (t.byProvider() && !t.staffId().equals(billingPractitioner)) {
                byStaff.computeIfAbsent(t.staffId(), id -> new ArrayList<>()).add(t);
            }
        }
        List<String> result = new ArrayList<>();
        byStaff.forEach((staff, entries) -> {
            int minutes = MinuteCount.minutes(entries, from, to, m.zone(), covered);
            if (minutes > 0) {
                result.add(minutes + " minute" + (minutes == 1 ? "" : "s") + " by " + m.staffName(staff, "another physician/NPP"));
            }
        });
        return result;
    }
}
