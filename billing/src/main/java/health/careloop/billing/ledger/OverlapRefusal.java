package health.careloop.billing.ledger;

import health.careloop.common.http.ApiException;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * The ledger's overlap refusal as a sentence a nurse understands: the times in the practice's time zone (a nurse in
 * Chicago does not read UTC), the other patient by name (an id says nothing), and what to do about it. It goes only to
 * a caller of the same practice who may see that patient; it is never logged.
 */
final class OverlapRefusal {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("h:mm a", Locale.US);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE, MMMM d, yyyy", Locale.US);

    private OverlapRefusal() {
    }

    /**
     * @param other       the entry (or running timer) the new time collides with
     * @param patientName the other entry's patient as the care team reads it ("Rivera, Ana")
     * @param staffName   whose time it is, or null when that is the caller ("you")
     */
    static ApiException of(TimeEntry other, String patientName, String staffName, ZoneId zone) {
        boolean own = staffName == null;
        String who = own ? "You" : staffName;
        String what = other.program().name() + ", " + activity(other.activity());
        String zoneName = " (" + zone.getDisplayName(TextStyle.FULL, Locale.US) + ")";
        String message;
        if (other.running()) {
            message = who + (own ? " have" : " has") + " a timer running for " + patientName + " (" + what + ") since "
                    + at(other.startedAt(), zone) + zoneName + ". Stop that timer first; a minute of "
                    + (own ? "your" : "their") + " time counts only once, in one program.";
        } else {
            message = who + " already logged time for " + patientName + " (" + what + ") " + span(other.startedAt(), other.endedAt(), zone)
                    + zoneName + ". A minute of " + (own ? "your" : "their") + " time counts only once, in one program: change the start or "
                    + "end of this entry, or correct the other one.";
        }
        return new ApiException(409, "overlapping_time", message);
    }

    private static String span(Instant start, Instant end, ZoneId zone) {
        ZonedDateTime from = start.atZone(zone);
        ZonedDateTime to = end.atZone(zone);
        if (from.toLocalDate().equals(to.toLocalDate())) {
            return "from " + TIME.format(from) + " to " + TIME.format(to) + " on " + DAY.format(from);
        }
        return "from " + at(start, zone) + " to " + at(end, zone);
    }

    private static String at(Instant instant, ZoneId zone) {
        ZonedDateTime t = instant.atZone(zone);
        return TIME.format(t) + " on " + DAY.format(t);
    }

    private static String activity(Activity activity) {
        return switch (activity) {
            case DATA_REVIEW -> "reviewing readings";
            case PATIENT_CALL -> "call with the patient";
            case MEDICATION_RECONCILIATION -> "medication reconciliation";
            case CARE_COORDINATION -> "care coordination";
            case CARE_PLAN_UPDATE -> "care plan update";
            case OTHER -> "other";
        };
    }
}
