package health.careloop.clinical.consent;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** A patient's enrolment in a program with one billing practitioner, from startDate through endDate (inclusive; open when null). */
public record Enrolment(UUID id, UUID practiceId, UUID patientId, Program program, LocalDate startDate, LocalDate endDate,
                        UUID billingPractitionerId, UUID consentId, String enrolledBy, Instant enrolledAt, String endedBy) {

    public boolean activeOn(LocalDate day) {
        return !startDate.isAfter(day) && (endDate == null || !day.isAfter(endDate));
    }

    public boolean overlaps(LocalDate start, LocalDate end) {
        boolean startsBeforeOtherEnds = end == null || !startDate.isAfter(end);
        boolean endsAfterOtherStarts = endDate == null || !endDate.isBefore(start);
        return startsBeforeOtherEnds && endsAfterOtherStarts;
    }
}
