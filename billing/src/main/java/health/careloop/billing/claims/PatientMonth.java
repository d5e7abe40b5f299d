package health.careloop.billing.claims;

import health.careloop.clinical.consent.Program;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Everything the rules need about one patient for one billing month, loaded once; the engine ({@link MonthRules}) is a
 * pure function of it.
 *
 * @param monitoringStart              first monitoring day (local date of the first device assignment), where P30s start; null if never monitored
 * @param dataDays                     local days with >= 1 automatically transmitted reading (any device), from the earliest P30 start of interest to the month end
 * @param time                         effective ledger intervals of both programs touching the same span
 * @param coverage                     per program and day, from the earliest P30 start of interest (or the month start) to the month end; a missing day is not covered
 * @param substantialCarePlanChanges   local days on which the care plan was established or substantially revised
 * @param carePlanSince                local day of the first care plan version, null if none
 * @param setupBilledBefore            99453 already on a closed claim for this episode
 * @param rpmManagementBilledLastMonth 99457/99458/99470 billed for the previous month (so its minutes are spent; 99091 may not count them again)
 * @param asOf                         the last day to consider: the month's last day at close, today for the readiness view
 * @param encounters                   visits, inpatient stays and what they gate (CCM's initiating visit, G0506, time during stays)
 * @param complexDecisionMaking        "moderate" or "high" when a provider recorded that complexity of medical decision making for
 *                                     the month (complex CCM needs it), null when nobody did
 * @param staffNames                   display names of the physicians/NPPs whose time or enrolment the month names, so a reason can
 *                                     say whose minutes a practitioner-only code did not count ("30 minutes by Dr B, who is not ...")
 */
public record PatientMonth(UUID patientId, YearMonth month, ZoneId zone, LocalDate monitoringStart, Set<LocalDate> dataDays,
                           List<LoggedTime> time, Map<Program, Map<LocalDate, DayCoverage>> coverage,
                           Set<LocalDate> substantialCarePlanChanges, LocalDate carePlanSince, boolean setupBilledBefore,
                           boolean rpmManagementBilledLastMonth, LocalDate asOf, EncounterFacts encounters, String complexDecisionMaking,
                           Map<UUID, String> staffNames) {

    /** A month without a record of complex medical decision making. */
    public PatientMonth(UUID patientId, YearMonth month, ZoneId zone, LocalDate monitoringStart, Set<LocalDate> dataDays, List<LoggedTime> time,
                        Map<Program, Map<LocalDate, DayCoverage>> coverage, Set<LocalDate> substantialCarePlanChanges, LocalDate carePlanSince,
                        boolean setupBilledBefore, boolean rpmManagementBilledLastMonth, LocalDate asOf, EncounterFacts encounters) {
        this(patientId, month, zone, monitoringStart, dataDays, time, coverage, substantialCarePlanChanges, carePlanSince, setupBilledBefore,
                rpmManagementBilledLastMonth, asOf, encounters, null);
    }

    /** A month without staff names (reasons then say "another physician/NPP" and "the enrolled billing practitioner"). */
    public PatientMonth(UUID patientId, YearMonth month, ZoneId zone, LocalDate monitoringStart, Set<LocalDate> dataDays, List<LoggedTime> time,
                        Map<Program, Map<LocalDate, DayCoverage>> coverage, Set<LocalDate> substantialCarePlanChanges, LocalDate carePlanSince,
                        boolean setupBilledBefore, boolean rpmManagementBilledLastMonth, LocalDate asOf, EncounterFacts encounters,
                        String complexDecisionMaking) {
        this(patientId, month, zone, monitoringStart, dataDays, time, coverage, substantialCarePlanChanges, carePlanSince, setupBilledBefore,
                rpmManagementBilledLastMonth, asOf, encounters, complexDecisionMaking, Map.of());
    }

    public PatientMonth {
        dataDays = Set.copyOf(dataDays);
        time = List.copyOf(time);
        coverage = Map.copyOf(coverage);
        substantialCarePlanChanges = Set.copyOf(substantialCarePlanChanges);
        java.util.Objects.requireNonNull(encounters);
        staffNames = Map.copyOf(staffNames);
    }

    /** The staff member's display name, or {@code otherwise} when the month does not know it. */
    public String staffName(UUID staffId, String otherwise) {
        String name = staffId == null ? null : staffNames.get(staffId);
        return name == null ? otherwise : name;
    }

    public DayCoverage coverage(Program program, LocalDate day) {
        Map<LocalDate, DayCoverage> days = coverage.get(program);
        DayCoverage c = days == null ? null : days.get(day);
        return c == null ? DayCoverage.notReady("No " + program.name() + " consent, enrolment or eligibility on " + day + ".") : c;
    }
}
