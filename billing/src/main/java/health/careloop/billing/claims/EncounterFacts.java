package health.careloop.billing.claims;

import health.careloop.billing.encounters.InpatientStay;
import health.careloop.billing.encounters.Visit;

import java.time.LocalDate;
import java.util.List;

/**
 * The care-management gates' facts of one patient-month.
 *
 * @param visits                 recorded visits (E/M, AWV, IPPE) up to the month's end, oldest first
 * @param stays                  hospital and SNF stays touching the month
 * @param ccmSince               first day of the CCM enrolment in force at the month's end (back through enrolments that follow on
 *                               without a gap), null when not enrolled: the initiating visit is looked for from a year before it
 * @param assessmentBilledBefore G0506 already on a claim line of an earlier month (it is billed once)
 * @param apcmSince              as ccmSince, for APCM's initiating visit
 * @param chronicConditions      chronic conditions as CCM counts them, on the month's last day considered: APCM's level
 */
public record EncounterFacts(List<Visit> visits, List<InpatientStay> stays, LocalDate ccmSince, boolean assessmentBilledBefore,
                             LocalDate apcmSince, int chronicConditions) {
    public EncounterFacts {
        visits = List.copyOf(visits);
        stays = List.copyOf(stays);
    }

    public static EncounterFacts none() {
        return new EncounterFacts(List.of(), List.of(), null, false, null, 0);
    }
}
