package health.careloop.clinical.evaluation;

import health.careloop.clinical.alerts.AlertStore;
import health.careloop.clinical.rules.Finding;
import health.careloop.clinical.rules.MissedReadingRules;
import health.careloop.clinical.rules.ThresholdStore;
import health.careloop.clinical.rules.Thresholds;
import health.careloop.common.db.Transactions;
import health.careloop.ingest.devices.DeviceRegistry;
import health.careloop.ingest.devices.MonitoredPatient;
import health.careloop.ingest.storage.ReadingQueries;
import health.careloop.ingest.storage.ReadingQueries.DataDayWindow;
import health.careloop.ingest.storage.ReadingQueries.RecentDataDays;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The scheduled missed-reading rules (every 15 minutes by default): for each monitored patient, "no data for N days"
 * and "at risk of missing 16 data days this P30". Idempotent: a finding is absorbed by the unresolved alert for its
 * rule, and an episode staff resolved is not raised again (AlertStore).
 *
 * <p>Monitored = has a device assignment that has not ended. The first monitoring day is the local date of the
 * earliest assignment (see MonitoringPeriod). Both come from ingest's DeviceRegistry; data days from its ReadingQueries.
 *
 * <p>Set-based: the data days and thresholds of {@link #CHUNK} patients are read in three statements, and only a
 * patient with a finding gets a transaction of its own (its lock, its thresholds again, the alert). One query per
 * patient held a worker thread for over five minutes a run at 100,000 patients; now about 11 s (BENCHMARKS §11).
 */
public final class MissedReadingsCheck {
    /** Patients read per round trip: large enough to amortise it, small enough to keep arrays and results modest. */
    static final int CHUNK = 1_000;
    /** How far back the last data day is looked for; a longer gap reads as "since" the oldest day looked at. */
    private static final int LOOK_BACK_DAYS = 400;
    /** A P30 containing today starts at most 29 days ago: its data days are all within the last 30. */
    private static final int CURRENT_PERIOD_DAYS = 30;

    private final DataSource dataSource;
    private final DeviceRegistry devices;
    private final int chunk;

    public MissedReadingsCheck(DataSource dataSource) {
        this(dataSource, CHUNK);
    }

    /** With a smaller chunk, for tests that cross chunk boundaries with a few patients. */
    MissedReadingsCheck(DataSource dataSource, int chunk) {
        this.dataSource = dataSource;
        this.devices = new DeviceRegistry(dataSource);
        this.chunk = chunk;
    }

    /** Returns the alerts raised. */
    public int run(Instant now) throws SQLException {
        List<MonitoredPatient> patients = devices.monitoredPatients();
        int raised = 0;
        for (int i = 0; i < patients.size(); i += chunk) {
            raised += runChunk(patients.subList(i, Math.min(i + chunk, patients.size())), now);
        }
        return raised;
    }

    private int runChunk(List<MonitoredPatient> chunk, Instant now) throws SQLException {
        Map<UUID, DataDayWindow> windows = new HashMap<>();
        for (MonitoredPatient p : chunk) {
            LocalDate today = today(p, now);
            LocalDate firstDay = firstDay(p);
            LocalDate from = firstDay.isBefore(today.minusDays(LOOK_BACK_DAYS)) ? today.minusDays(LOOK_BACK_DAYS) : firstDay;
            LocalDate listFrom = from.isBefore(today.minusDays(CURRENT_PERIOD_DAYS)) ? today.minusDays(CURRENT_PERIOD_DAYS) : from;
            windows.put(p.patientId(), new DataDayWindow(p.patientId(), from, listFrom, today));
        }
        Map<UUID, RecentDataDays> days;
        Map<UUID, Thresholds> thresholds;
        try (Connection c = dataSource.getConnection()) {
            days = ReadingQueries.recentDataDays(c, new ArrayList<>(windows.values()));
            thresholds = ThresholdStore.loadAll(c, windows.keySet());
        }
        int raised = 0;
        for (MonitoredPatient p : chunk) {
            RecentDataDays d = days.get(p.patientId());
            if (!findings(p, d, thresholds.get(p.patientId()), now).isEmpty()) {
                raised += record(p, d, now);
            }
        }
        return raised;
    }

    /** Records the patient's findings under its lock, with its thresholds read again: staff may have just changed them. */
    private int record(MonitoredPatient p, RecentDataDays days, Instant now) throws SQLException {
        return Transactions.inTransaction(dataSource, c -> {
            PatientLock.lock(c, p.patientId());
            int raised = 0;
            for (Finding f : findings(p, days, ThresholdStore.load(c, p.patientId()), now)) {
                if (AlertStore.record(c, p.practiceId(), p.patientId(), f) == AlertStore.Outcome.RAISED) {
                    raised++;
                }
            }
            return raised;
        });
    }

    private static List<Finding> findings(MonitoredPatient p, RecentDataDays days, Thresholds t, Instant now) {
        LocalDate today = today(p, now);
        List<Finding> findings = new ArrayList<>();
        MissedReadingRules.noData(firstDay(p), days.last(), today, t).ifPresent(findings::add);
        MissedReadingRules.dataDaysAtRisk(firstDay(p), days.days(), today, t).ifPresent(findings::add);
        return findings;
    }

    private static LocalDate today(MonitoredPatient p, Instant now) {
        return now.atZone(p.practiceZone()).toLocalDate();
    }

    private static LocalDate firstDay(MonitoredPatient p) {
        return p.firstAssigned().atZone(p.practiceZone()).toLocalDate();
    }
}
