package health.careloop.billing.corrections;

import health.careloop.billing.claims.ClaimLine;
import health.careloop.billing.claims.NotBilled;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What changed between two versions of a claim, in the words a biller reads on the billing page: which code was added,
 * removed or changed (units, date of service), why (the rules' justification, or their reason for no longer billing it),
 * and the claim's diagnoses. Pure.
 */
final class ClaimChanges {
    private ClaimChanges() {
    }

    /**
     * @param reasons the recomputed month's reasons for codes not billed, for the patient (why a code was removed)
     */
    static List<String> describe(List<ClaimLine> before, List<ClaimLine> after, List<NotBilled> reasons) {
        Map<String, ClaimLine> old = byKey(before);
        Map<String, ClaimLine> now = byKey(after);
        List<String> changes = new ArrayList<>();
        old.forEach((key, was) -> {
            if (!now.containsKey(key)) {
                changes.add("Removed " + was.code().cpt() + units(was.units()) + " of " + was.dateOfService() + ": " + whyNot(was, reasons));
            }
        });
        now.forEach((key, is) -> {
            ClaimLine was = old.get(key);
            if (was == null) {
                changes.add("Added " + is.code().cpt() + units(is.units()) + " on " + is.dateOfService() + ": " + why(is));
            } else if (!sameBilling(was, is)) {
                List<String> what = new ArrayList<>();
                if (was.units() != is.units()) {
                    what.add("from " + count(was.units()) + " to " + count(is.units()));
                }
                if (!was.dateOfService().equals(is.dateOfService())) {
                    what.add("date of service from " + was.dateOfService() + " to " + is.dateOfService());
                }
                if (!was.diagnoses().equals(is.diagnoses())) {
                    what.add("diagnoses from " + String.join(", ", was.diagnoses()) + " to " + String.join(", ", is.diagnoses()));
                }
                changes.add("Changed " + is.code().cpt() + " " + String.join(", ", what) + ": " + why(is));
            }
        });
        List<String> dxBefore = diagnoses(before);
        List<String> dxAfter = diagnoses(after);
        if (!before.isEmpty() && !after.isEmpty() && !dxBefore.equals(dxAfter)) {
            changes.add("Claim diagnoses changed from " + String.join(", ", dxBefore) + " to " + String.join(", ", dxAfter) + ".");
        }
        return changes;
    }

    /** Two lines bill the same thing: code, period, units, date of service, diagnoses, practitioner and place of service. */
    static boolean sameBilling(ClaimLine a, ClaimLine b) {
        return a.code() == b.code() && a.periodEnd().equals(b.periodEnd()) && a.units() == b.units() && a.dateOfService().equals(b.dateOfService())
                && a.diagnoses().equals(b.diagnoses()) && Objects.equals(a.billingPractitionerId(), b.billingPractitionerId())
                && a.billingNpi().equals(b.billingNpi()) && a.placeOfService().equals(b.placeOfService());
    }

    /** A line's identity within a patient-month: code and period (the close's unique key). */
    static String key(ClaimLine line) {
        return line.code().cpt() + "@" + line.periodEnd();
    }

    private static Map<String, ClaimLine> byKey(List<ClaimLine> lines) {
        Map<String, ClaimLine> map = new LinkedHashMap<>();
        for (ClaimLine line : lines) {
            map.put(key(line), line);
        }
        return map;
    }

    private static String whyNot(ClaimLine was, List<NotBilled> reasons) {
        for (NotBilled n : reasons) {
            if (n.code() == was.code() && !n.periodEnd().isBefore(was.periodStart()) && !n.periodEnd().isAfter(was.periodEnd())) {
                return withoutCode(was.code().cpt(), n.reason());
            }
        }
        return "no longer billed when the month is worked out again";
    }

    private static String why(ClaimLine line) {
        return withoutCode(line.code().cpt(), line.justification());
    }

    /** The rules' texts start with their code ("99457: 25 minutes …"); the sentence names the code already. */
    private static String withoutCode(String cpt, String text) {
        String t = text == null ? "" : text.trim();
        return t.startsWith(cpt + ":") ? t.substring(cpt.length() + 1).trim() : t;
    }

    private static String count(int units) {
        return units == 1 ? "1 unit" : units + " units";
    }

    private static String units(int units) {
        return units == 1 ? " (1 unit)" : " (" + units + " units)";
    }

    private static List<String> diagnoses(List<ClaimLine> lines) {
        Set<String> codes = new LinkedHashSet<>();
        lines.forEach(l -> codes.addAll(l.diagnoses()));
        return List.copyOf(codes);
    }
}
