package health.careloop.clinical.evaluation;

import health.careloop.clinical.alerts.AlertStore;
import health.careloop.clinical.rules.Finding;
import health.careloop.clinical.rules.MissedReadingRules;
import health.careloop.clinical.rules.ThresholdStore;
import health.careloop.clinical.rules.Thresholds;
import health.careloop.ingest.devices.DeviceRegistry;
import health.careloop.ingest.devices.MonitoredPatient;
import health.careloop.ingest.storage.ReadingQueries;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The scheduled missed-reading rules (every 15 minutes by default): for each monitored patient, "no data for N days"
 * and "at risk of missing 16 data days this P30". Idempotent: a finding is absorbed by the unresolved alert for its
 * rule, and an episode staff resolved is not raised again (AlertStore).
 *
 * <p>Monitored = has a device assignment that has not ended. The first monitoring day is the local date of the
 * earliest assignment (see MonitoringPeriod). Both come from ingest's DeviceRegistry; data days from its ReadingQueries.
 */
public final class MissedReadingsCheck {
    private final DataSource dataSource;
    private final ReadingQueries readings;
    private final DeviceRegistry devices;

    public MissedReadingsCheck(DataSource dataSource) {
        this.dataSource = dataSource;
        this.readings = new ReadingQueries(dataSource);
        this.devices = new DeviceRegistry(dataSource);
    }

    /** Returns the alerts raised. */
    public int run(Instant now) throws SQLException {
        int raised = 0;
        for (MonitoredPatient p : devices.monitoredPatients()) {
            LocalDate today = now.atZone(p.practiceZone()).toLocalDate();
            LocalDate firstDay = p.firstAssigned().atZone(p.practiceZone()).toLocalDate();
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
}
