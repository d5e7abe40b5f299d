package health.careloop.billing.ledger;

import health.careloop.clinical.consent.Program;
import health.careloop.common.http.ApiException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Verifies that the overlap refusal reads as a sentence in the practice's zone, naming the patient and never an id. */
class OverlapRefusalTest {
    private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    @Test
    void aFinishedEntryIsNamedByPatientAndLocalTimes() {
        TimeEntry other = entry(Instant.parse("2026-11-10T16:00:00Z"), Instant.parse("2026-11-10T16:25:00Z"));
        ApiException refusal = OverlapRefusal.of(other, "Rivera, Ana", null, CHICAGO);
        assertThat(refusal.status()).isEqualTo(409);
        assertThat(refusal.code()).isEqualTo("overlapping_time");
        assertThat(refusal.getMessage()).isEqualTo("You already logged time for Rivera, Ana (RPM, call with the patient) from 10:00 AM to 10:25 AM "
                + "on Tuesday, November 10, 2026 (Central Time). A minute of your time counts only once, in one program: change the start or end "
                + "of this entry, or correct the other one.");
        assertThat(refusal.getMessage()).doesNotContain(other.id().toString()).doesNotContain(other.patientId().toString()).doesNotContain("Z");
    }

    @Test
    void aColleaguesRunningTimerOverMidnightIsNamedWithTheirName() {
        TimeEntry running = entry(Instant.parse("2026-11-11T05:50:00Z"), null);
        String message = OverlapRefusal.of(running, "Okoye, Ben", "Robin Nurse", CHICAGO).getMessage();
        assertThat(message).isEqualTo("Robin Nurse has a timer running for Okoye, Ben (RPM, call with the patient) since 11:50 PM on Tuesday, "
                + "November 10, 2026 (Central Time). Stop that timer first; a minute of their time counts only once, in one program.");
    }

    @Test
    void anEntryOverMidnightGivesBothDays() {
        TimeEntry other = entry(Instant.parse("2026-11-11T05:50:00Z"), Instant.parse("2026-11-11T06:10:00Z"));
        assertThat(OverlapRefusal.of(other, "Lind, Cara", null, CHICAGO).getMessage())
                .contains("from 11:50 PM on Tuesday, November 10, 2026 to 12:10 AM on Wednesday, November 11, 2026 (Central Time)");
    }

    private static TimeEntry entry(Instant start, Instant end) {
        return new TimeEntry(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "rn", Program.RPM, Activity.PATIENT_CALL,
                start, end, null, null, null, "staff:x", start, null, null, false, null, null, null, null);
    }
}
