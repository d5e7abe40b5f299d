package health.careloop.billing.claims;

import health.careloop.billing.encounters.InpatientStay;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Ledger time with the inpatient stays cut out (billing-rules.md 2.1 [S22]: no CCM time while the patient is a hospital or
 * SNF inpatient; time outside the stay in the same month counts). Pure.
 */
final class InpatientTime {
    private InpatientTime() {
    }

    /** The parts of {@code time} outside every stay; an entry that straddles an admission or discharge keeps the part outside. */
    static List<LoggedTime> outside(List<LoggedTime> time, List<InpatientStay> stays) {
        if (stays.isEmpty()) {
            return time;
        }
        List<LoggedTime> result = new ArrayList<>();
        for (LoggedTime t : time) {
            List<Instant[]> pieces = new ArrayList<>();
            pieces.add(new Instant[]{t.start(), t.end()});
            for (InpatientStay stay : stays) {
                List<Instant[]> next = new ArrayList<>();
                for (Instant[] p : pieces) {
                    if (!stay.admittedAt().isBefore(p[1]) || !stay.until().isAfter(p[0])) {
                        next.add(p); // no overlap
                        continue;
                    }
                    if (stay.admittedAt().isAfter(p[0])) {
                        next.add(new Instant[]{p[0], stay.admittedAt()});
                    }
                    if (stay.until().isBefore(p[1])) {
                        next.add(new Instant[]{stay.until(), p[1]});
                    }
                }
                pieces = next;
            }
            for (Instant[] p : pieces) {
                result.add(t.over(p[0], p[1]));
            }
        }
        return result;
    }
}
