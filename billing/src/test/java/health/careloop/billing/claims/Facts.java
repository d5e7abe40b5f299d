package health.careloop.billing.claims;

import health.careloop.billing.encounters.InpatientStay;
import health.careloop.billing.encounters.Visit;
import health.careloop.billing.encounters.VisitKind;
import health.careloop.billing.ledger.InteractionMode;
import health.careloop.clinical.consent.Program;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** A builder of patient-month facts for the table tests: covered in both programs by one practitioner unless told otherwise. */
final class Facts {
    static final UUID PATIENT = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
    static final UUID DR_ONE = UUID.fromString("00000000-0000-0000-0000-000000000001");
    static final UUID DR_TWO = UUID.fromString("00000000-0000-0000-0000-000000000002");
    /** A physician of the practice who is nobody's billing practitioner in the default facts. */
    static final UUID DR_THREE = UUID.fromString("00000000-0000-0000-0000-000000000003");
    static final UUID NURSE = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    static final UUID NURSE_TWO = UUID.fromString("00000000-0000-0000-0000-0000000000a2");
    static final Map<UUID, String> NAMES = Map.of(DR_ONE, "Dr Ada One", DR_TWO, "Dr Ben Two", DR_THREE, "Dr Cy Three");
    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    YearMonth month = YearMonth.of(2026, 11);
    ZoneId zone = CHICAGO;
    LocalDate monitoringStart = LocalDate.of(2026, 10, 31); // P30 2026-10-31 .. 2026-11-29, billed in November
    final Set<LocalDate> dataDays = new HashSet<>();
    final List<LoggedTime> time = new ArrayList<>();
    final Map<Program, Map<LocalDate, DayCoverage>> coverage = new EnumMap<>(Program.class);
    final Set<LocalDate> carePlanChanges = new HashSet<>();
    LocalDate carePlanSince = LocalDate.of(2025, 1, 10);
    String complexDecisionMaking;
    boolean setupBilledBefore;
    boolean managementLastMonth;
    LocalDate asOf;
    /** An E/M visit early in 2026 initiates CCM unless a case says otherwise. */
    final List<Visit> visits = new ArrayList<>(List.of(visit(VisitKind.EM, LocalDate.of(2026, 1, 15), DR_ONE, false)));
    final List<InpatientStay> stays = new ArrayList<>();
    LocalDate ccmSince = LocalDate.of(2026, 1, 15);
    boolean assessmentBilledBefore;
    LocalDate apcmSince;
    int chronicConditions = 2;

    Facts() {
        for (Program p : Program.values()) {
            if (p == Program.APCM) {
                coverage.put(p, new HashMap<>()); // APCM only where a case asks for it (it bundles CCM and PCM)
                continue;
            }
            Map<LocalDate, DayCoverage> days = new HashMap<>();
            for (LocalDate d = LocalDate.of(2026, 8, 1); d.isBefore(LocalDate.of(2027, 3, 1)); d = d.plusDays(1)) {
                days.put(d, ready(DR_ONE));
            }
            coverage.put(p, days);
        }
    }

    static DayCoverage ready(UUID practitioner) {
        return new DayCoverage(true, practitioner, practitioner.equals(DR_ONE) ? "1234567893" : "1245319599", List.of("I10", "E11.9"), null);
    }

    Facts month(int year, int month) {
        this.month = YearMonth.of(year, month);
        return this;
    }

    Facts zone(String zone) {
        this.zone = ZoneId.of(zone);
        return this;
    }

    Facts monitoringStart(LocalDate start) {
        this.monitoringStart = start;
        return this;
    }

    /** n data days from {@code from}, one a day. */
    Facts dataDays(LocalDate from, int n) {
        for (int i = 0; i < n; i++) {
            dataDays.add(from.plusDays(i));
        }
        return this;
    }

    /** Time of the default billing practitioner DR_ONE ({@code provider}) or of a nurse. */
    Facts time(Program program, LocalDate day, int minutes, boolean provider, InteractionMode mode) {
        return timeBy(provider ? DR_ONE : NURSE, program, day, minutes, mode);
    }

    /** Time of a given staff member at 10:00 on the day; DR_* are physicians/NPPs, anyone else clinical staff. */
    Facts timeBy(UUID staff, Program program, LocalDate day, int minutes, InteractionMode mode) {
        Instant start = day.atTime(LocalTime.of(10, 0)).atZone(zone).toInstant();
        time.add(new LoggedTime(start, start.plusSeconds(minutes * 60L), program, staff, NAMES.containsKey(staff), mode));
        return this;
    }

    Facts staff(Program program, int minutes, InteractionMode mode) {
        return time(program, month.atDay(10), minutes, false, mode);
    }

    Facts rpm(int minutes) {
        return staff(Program.RPM, minutes, InteractionMode.PHONE);
    }

    Facts ccm(int minutes) {
        return staff(Program.CCM, minutes, null);
    }

    Facts pcm(int minutes) {
        return time(Program.PCM, month.atDay(12), minutes, false, null);
    }

    Facts interval(Program program, Instant start, Instant end, boolean provider, InteractionMode mode) {
        return interval(provider ? DR_ONE : NURSE, program, start, end, mode);
    }

    Facts interval(UUID staff, Program program, Instant start, Instant end, InteractionMode mode) {
        time.add(new LoggedTime(start, end, program, staff, NAMES.containsKey(staff), mode));
        return this;
    }

    /** Not covered in the program from {@code from} on (consent revoked, enrolment ended). */
    Facts uncoveredFrom(Program program, LocalDate from, String reason) {
        coverage.get(program).replaceAll((d, c) -> d.isBefore(from) ? c : DayCoverage.notReady(reason));
        return this;
    }

    /** Not covered in the program before {@code until} (consent taken later than monitoring began). */
    Facts uncoveredBefore(Program program, LocalDate until, String reason) {
        coverage.get(program).replaceAll((d, c) -> d.isBefore(until) ? DayCoverage.notReady(reason) : c);
        return this;
    }

    Facts practitionerFrom(Program program, LocalDate from, UUID practitioner) {
        coverage.get(program).replaceAll((d, c) -> d.isBefore(from) ? c : ready(practitioner));
        return this;
    }

    Facts carePlanChangedOn(LocalDate day) {
        carePlanChanges.add(day);
        return this;
    }

    /** A provider recorded moderate or high complexity medical decision making for the month (complex CCM needs it). */
    Facts complexDecisionMaking(String level) {
        complexDecisionMaking = level;
        return this;
    }

    /** The care plan's first version established on this day (a plan documented before the month, or after its date of service). */
    Facts carePlanSince(LocalDate day) {
        carePlanSince = day;
        return this;
    }

    Facts noCarePlan() {
        carePlanSince = null;
        return this;
    }

    Facts setupBilledBefore() {
        setupBilledBefore = true;
        return this;
    }

    Facts managementBilledLastMonth() {
        managementLastMonth = true;
        return this;
    }

    static Visit visit(VisitKind kind, LocalDate date, UUID practitioner, boolean assessment) {
        return new Visit(UUID.randomUUID(), UUID.randomUUID(), PATIENT, kind, date, practitioner, assessment, "test", Instant.EPOCH);
    }

    Facts noVisits() {
        visits.clear();
        return this;
    }

    Facts visit(VisitKind kind, LocalDate date, boolean assessment) {
        visits.add(visit(kind, date, DR_ONE, assessment));
        return this;
    }

    Facts visitBy(UUID practitioner, LocalDate date, boolean assessment) {
        visits.add(visit(VisitKind.EM, date, practitioner, assessment));
        return this;
    }

    Facts ccmSince(LocalDate day) {
        ccmSince = day;
        return this;
    }

    /** Enrolled in APCM with DR_ONE since {@code since} (covered from then on). */
    Facts apcm(LocalDate since) {
        apcmSince = since;
        for (LocalDate d = since; d.isBefore(LocalDate.of(2027, 3, 1)); d = d.plusDays(1)) {
            coverage.get(Program.APCM).put(d, ready(DR_ONE));
        }
        return this;
    }

    Facts chronicConditions(int n) {
        chronicConditions = n;
        return this;
    }

    Facts assessmentBilledBefore() {
        assessmentBilledBefore = true;
        return this;
    }

    /** A stay from {@code from} to {@code to} (local times in the zone); open when {@code to} is null. */
    Facts stay(java.time.LocalDateTime from, java.time.LocalDateTime to) {
        stays.add(new InpatientStay(UUID.randomUUID(), UUID.randomUUID(), PATIENT, InpatientStay.Setting.HOSPITAL, from.atZone(zone).toInstant(),
                to == null ? null : to.atZone(zone).toInstant(), "test", Instant.EPOCH));
        return this;
    }

    PatientMonth build() {
        LocalDate last = asOf == null ? month.atEndOfMonth() : asOf;
        return new PatientMonth(PATIENT, month, zone, monitoringStart, dataDays, time, coverage, carePlanChanges, carePlanSince,
                setupBilledBefore, managementLastMonth, last,
                new EncounterFacts(visits.stream().filter(v -> !v.date().isAfter(last)).toList(), stays, ccmSince, assessmentBilledBefore,
                        apcmSince, chronicConditions), complexDecisionMaking, NAMES);
    }
}
