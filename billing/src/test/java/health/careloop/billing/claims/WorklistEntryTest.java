package health.careloop.billing.claims;

import health.careloop.billing.ledger.InteractionMode;
import health.careloop.billing.worklist.NextThreshold;
import health.careloop.billing.worklist.WorklistEntry;
import health.careloop.clinical.consent.Program;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verifies the worklist's arithmetic on the close's own facts: minutes and the next threshold per program, data days in
 * the 30-day period, the last contact, and who is on the "call today" list and why. (In the claims test package for
 * its facts builder.)
 */
class WorklistEntryTest {
    private static final LocalDate NOV_24 = LocalDate.of(2026, 11, 24);

    @Test
    void nextThresholdsFollowTheCodes() {
        assertThat(NextThreshold.minutes(Program.RPM, 0)).contains(new NextThreshold(10, "99470"));
        assertThat(NextThreshold.minutes(Program.RPM, 10)).contains(new NextThreshold(20, "99457"));
        assertThat(NextThreshold.minutes(Program.RPM, 59).orElseThrow().target()).isEqualTo(60);
        assertThat(NextThreshold.minutes(Program.RPM, 60)).isEmpty();
        assertThat(NextThreshold.minutes(Program.CCM, 19)).contains(new NextThreshold(20, "99490"));
        assertThat(NextThreshold.minutes(Program.CCM, 20)).contains(new NextThreshold(40, "99439"));
        assertThat(NextThreshold.minutes(Program.PCM, 0)).contains(new NextThreshold(30, "99426"));
        assertThat(NextThreshold.minutes(Program.APCM, 0)).isEmpty();
        assertThat(NextThreshold.dataDays(1)).contains(new NextThreshold(2, "99445"));
        assertThat(NextThreshold.dataDays(15)).contains(new NextThreshold(16, "99454"));
        assertThat(NextThreshold.dataDays(16)).isEmpty();
    }

    @Test
    void aCcmPatientShortOfTwentyMinutesNearTheMonthsEndIsToBeCalledToday() {
        Facts f = new Facts().ccm(12);
        f.asOf = NOV_24;
        WorklistEntry e = WorklistEntry.of(Facts.PATIENT, "Rivera, Ana", EnumSet.of(Program.CCM), f.build(), NOV_24);
        assertThat(e.daysLeftInMonth()).isEqualTo(7);
        WorklistEntry.ProgramProgress ccm = e.programs().get(0);
        assertThat(ccm.minutes()).isEqualTo(12);
        assertThat(ccm.next()).isEqualTo(new NextThreshold(20, "99490"));
        assertThat(ccm.counting()).isTrue();
        assertThat(e.callToday()).containsExactly("CCM: 12 of 20 minutes for 99490; 8 more by November 30 (7 days left).");
        assertThat(e.urgency()).isEqualTo(7);
        assertThat(e.dataDays()).as("not in RPM").isNull();
        assertThat(e.lastContact()).as("no interactive time").isNull();
    }

    @Test
    void earlyInTheMonthNothingIsUrgentButAnRpmPatientWithoutACallIs() {
        Facts f = new Facts().ccm(5).rpm(12);
        f.asOf = LocalDate.of(2026, 11, 10);
        WorklistEntry both = WorklistEntry.of(Facts.PATIENT, "Rivera, Ana", EnumSet.of(Program.RPM, Program.CCM), f.build(), LocalDate.of(2026, 11, 10));
        // The RPM minutes were a phone call on the 10th: contact made, nothing urgent three weeks before the end.
        assertThat(both.lastContact()).isNotNull();
        assertThat(both.programs()).extracting(WorklistEntry.ProgramProgress::minutes).containsExactly(12, 5);
        assertThat(both.callToday()).allMatch(r -> r.startsWith("RPM: ") && r.contains("days with readings"));

        Facts silent = new Facts().rpm(0 + 1);
        silent.time.clear();
        silent.asOf = LocalDate.of(2026, 11, 10);
        WorklistEntry noCall = WorklistEntry.of(UUID.randomUUID(), "Okoye, Ben", EnumSet.of(Program.RPM), silent.build(), LocalDate.of(2026, 11, 10));
        assertThat(noCall.callToday()).contains("RPM: no call or video with the patient yet this month; 99457 and 99470 need one.");
    }

    @Test
    void dataDaysAtRiskInThePeriodAskForAReminder() {
        // P30 from Oct 31 to Nov 29: 12 days by Nov 24 (six days left, Nov 24-29), 4 more needed: two days to spare.
        Facts f = new Facts().dataDays(LocalDate.of(2026, 11, 1), 12).time(Program.RPM, LocalDate.of(2026, 11, 3), 5, false, InteractionMode.PHONE);
        f.asOf = NOV_24;
        WorklistEntry e = WorklistEntry.of(Facts.PATIENT, "Lind, Cara", EnumSet.of(Program.RPM), f.build(), NOV_24);
        WorklistEntry.DataDayProgress d = e.dataDays();
        assertThat(d.days()).isEqualTo(12);
        assertThat(d.next()).isEqualTo(new NextThreshold(16, "99454"));
        assertThat(d.daysLeftInPeriod()).isEqualTo(6);
        assertThat(d.periodEnd()).isEqualTo(LocalDate.of(2026, 11, 29));
        assertThat(e.callToday()).contains("RPM: 12 of 16 days with readings for 99454; 4 more needed in the 6 days left of the 30-day period "
                + "(to November 29): remind the patient to measure.");
        assertThat(e.urgency()).isEqualTo(2);
    }

    @Test
    void timeThatWouldNotCountIsShownWithItsReasonAndNeverMakesTheList() {
        Facts f = new Facts().ccm(12).uncoveredFrom(Program.CCM, LocalDate.of(2026, 11, 20), "CCM consent revoked on 2026-11-19.");
        f.asOf = NOV_24;
        WorklistEntry e = WorklistEntry.of(Facts.PATIENT, "Rivera, Ana", EnumSet.of(Program.CCM), f.build(), NOV_24);
        assertThat(e.programs().get(0).counting()).isFalse();
        assertThat(e.programs().get(0).reason()).isEqualTo("CCM consent revoked on 2026-11-19.");
        assertThat(e.callToday()).isEmpty();
        assertThat(e.urgency()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void whoToCallTodayComesFirstMostUrgentFirstThenByName() {
        Facts late = new Facts().ccm(12);
        late.asOf = NOV_24;
        Facts fine = new Facts().ccm(65);
        fine.asOf = NOV_24;
        Facts periodRisk = new Facts().dataDays(LocalDate.of(2026, 11, 1), 12).time(Program.RPM, LocalDate.of(2026, 11, 3), 25, false, InteractionMode.PHONE);
        periodRisk.asOf = NOV_24;
        List<WorklistEntry> list = new ArrayList<>(List.of(
                WorklistEntry.of(UUID.randomUUID(), "Adams, Al", EnumSet.of(Program.CCM), fine.build(), NOV_24),
                WorklistEntry.of(UUID.randomUUID(), "Rivera, Ana", EnumSet.of(Program.CCM), late.build(), NOV_24),
                WorklistEntry.of(UUID.randomUUID(), "Lind, Cara", EnumSet.of(Program.RPM), periodRisk.build(), NOV_24)));
        list.sort(WorklistEntry.WHO_TO_CALL_TODAY);
        assertThat(list).extracting(WorklistEntry::name).containsExactly("Lind, Cara", "Rivera, Ana", "Adams, Al");
    }
}
