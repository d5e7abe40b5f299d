package health.careloop.clinical.evaluation;

import health.careloop.clinical.alerts.AlertStore;
import health.careloop.clinical.rules.Finding;
import health.careloop.clinical.rules.MissedReadingRules;
import health.careloop.clinical.rules.ThresholdStore;
import health.careloop.clinical.rules.Thresholds;
import health.careloop.ingest.storage.ReadingQueries;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The scheduled missed-reading rules (every 15 minutes by default): for each monitored patient, "no data for N days"
 * and "at risk of missing 16 data days this P30". Idempotent: a finding is absorbed by the unresolved alert for its
 * rule, and an episode staff resolved is not raised again (AlertStore).
 *
 * <p>Monitored = has a device assignment that has not ended. The first monitoring day is the local date of the
 * earliest assignment (see MonitoringPeriod). Both come from ingest.device_assignment directly, read-only, because
 * ingest does not yet expose a query for them; data days come through ingest's ReadingQueries.
 */
public final class MissedReadingsCheck {
    record MonitoredPatient(UUID patientId, UUID practiceId, ZoneId zone, Instant firstAssigned) {
    }

    private final DataSource dataSource;
    private final ReadingQueries readings;

    public MissedReadingsCheck(DataSource dataSource) {
        this.dataSource = dataSource;
        this.readings = new ReadingQueries(dataSource);
    }

    /** Returns the alerts raised. */
    public int run(Instant now) throws SQLException {
        int raised = 0;
        for (MonitoredPatient p : monitoredPatients()) {
            LocalDate today = now.atZone(p.zone()).toLocalDate();
            LocalDate firstDay = p.firstAssigned().atZone(p.zone()).toLocalDate();
            LocalDate from = firstDay.isBefore(today.minusDays(400)) ? today.minusDays(400) : firstDay;
            Set<LocalDate> dataDays = new TreeSet<>(readings.dataDays(p.patientId(), from, today).keySet());
            Optional<LocalDate> last = dataDays.stream().max(LocalDate::compareTo);
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    PatientLock.lock(c, p.patientId());
                    Thresholds t = ThresholdStore.load(c, p.patientId());
                    List<Finding> findings = new ArrayList<>();
                    MissedReadingRules.noData(firstDay, last, today, t).ifPresent(findings::add);
                    MissedReadingRules.dataDaysAtRisk(firstDay, dataDays, today, t).ifPresent(findings::add);
                    for (Finding f : findings) {
                        if (AlertStore.record(c, p.practiceId(), p.patientId(), f) == AlertStore.Outcome.RAISED) {
                            raised++;
                        }
                    }
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
        }
        return raised;
    }

    private List<MonitoredPatient> monitoredPatients() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                SELECT a.patient_id, a.practice_id, p.time_zone, min(a.valid_from)
                FROM ingest.device_assignment a JOIN core.practice p ON p.id = a.practice_id
                GROUP BY a.patient_id, a.practice_id, p.time_zone
                HAVING bool_or(a.valid_to IS NULL OR a.valid_to > now())
                ORDER BY a.patient_id"""); ResultSet rs = ps.executeQuery()) {
            List<MonitoredPatient> result = new ArrayList<>();
            while (rs.next()) {
                result.add(new MonitoredPatient(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), ZoneId.of(rs.getString(3)),
                        rs.getTimestamp(4).toInstant()));
            }
            return result;
        }
    }
}
