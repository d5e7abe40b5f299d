package health.careloop.billing.worklist;

import health.careloop.billing.claims.MonthClose;
import health.careloop.billing.claims.PatientMonth;
import health.careloop.clinical.consent.Enrolment;
import health.careloop.clinical.consent.Enrolments;
import health.careloop.clinical.consent.Program;
import health.careloop.clinical.patients.PatientProfiles;
import health.careloop.common.directory.Directory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The monthly care-management worklist of a practice: every patient enrolled this month in a time-based program (RPM,
 * CCM, PCM), with the month so far as the close sees it. Enrolments are read through clinical's batch read, minutes and
 * data days through the close's own facts (the ledger and ingest's rollup, each through its owner), names through
 * clinical's profiles: no SQL here names another tier's schema. Blocking JDBC.
 */
public final class Worklist {
    private static final Set<Program> TIME_BASED = EnumSet.of(Program.RPM, Program.CCM, Program.PCM);

    private final DataSource dataSource;
    private final MonthClose close;

    public Worklist(DataSource dataSource, MonthClose close) {
        this.dataSource = dataSource;
        this.close = close;
    }

    /** The practice's worklist as of {@code today} (a day in the practice's zone), most urgent first. */
    public List<WorklistEntry> of(UUID practiceId, ZoneId zone, LocalDate today) throws SQLException {
        YearMonth month = YearMonth.from(today);
        Map<UUID, Set<Program>> enrolled = new LinkedHashMap<>();
        Map<UUID, String> names;
        try (Connection c = dataSource.getConnection()) {
            List<UUID> patients = Directory.patientIds(c, practiceId);
            for (Map.Entry<UUID, List<Enrolment>> e : Enrolments.ofPatients(c, patients).entrySet()) {
                for (Enrolment enrolment : e.getValue()) {
                    if (TIME_BASED.contains(enrolment.program()) && enrolment.overlaps(month.atDay(1), today)) {
                        enrolled.computeIfAbsent(e.getKey(), id -> EnumSet.noneOf(Program.class)).add(enrolment.program());
                    }
                }
            }
            names = PatientProfiles.names(c, enrolled.keySet());
        }
        Map<UUID, PatientMonth> facts = new HashMap<>();
        if (!enrolled.isEmpty()) {
            close.evaluate(practiceId, zone, month, today, r -> {
                if (enrolled.containsKey(r.patientId())) {
                    facts.put(r.patientId(), r.facts());
                }
            });
        }
        List<WorklistEntry> entries = new ArrayList<>();
        enrolled.forEach((patientId, programs) ->
                entries.add(WorklistEntry.of(patientId, names.get(patientId), programs, facts.get(patientId), today)));
        entries.sort(WorklistEntry.WHO_TO_CALL_TODAY);
        return entries;
    }
}
