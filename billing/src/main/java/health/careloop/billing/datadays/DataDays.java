package health.careloop.billing.datadays;

import health.careloop.clinical.rules.MonitoringPeriod;
import health.careloop.ingest.devices.DeviceRegistry;
import health.careloop.ingest.devices.MonitoredPatient;
import health.careloop.ingest.storage.ReadingQueries;

import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Data days per patient (billing-rules.md 1.3): local days in the practice's zone with >= 1 stored reading from any of
 * the patient's devices, read from ingest's daily rollup / continuous aggregate. Several readings on a day count once;
 * days of a swapped or second device combine [S53]. Blocking JDBC.
 */
public final class DataDays {
    private final ReadingQueries readings;
    private final DeviceRegistry devices;

    public DataDays(ReadingQueries readings, DeviceRegistry devices) {
        this.readings = readings;
        this.devices = devices;
    }

    /** The days in [from, to] with data. */
    public Set<LocalDate> between(UUID patientId, LocalDate from, LocalDate to) throws SQLException {
        if (to.isBefore(from)) {
            return Set.of();
        }
        return readings.dataDays(patientId, from, to).keySet();
    }

    /**
     * First monitoring day (local date of the first device assignment; P30s start there) of every patient who has had a
     * device, including those whose devices have since been returned (their past months still bill).
     */
    public Map<UUID, LocalDate> monitoringStarts() throws SQLException {
        Map<UUID, LocalDate> result = new HashMap<>();
        for (MonitoredPatient p : devices.everMonitoredPatients()) {
            result.put(p.patientId(), p.firstAssigned().atZone(p.practiceZone()).toLocalDate());
        }
        return result;
    }

    /** Count of data days in a P30 up to {@code asOf} (never beyond the P30: no block stretching [S6]). */
    public static int inPeriod(Set<LocalDate> days, MonitoringPeriod p30, LocalDate asOf) {
        LocalDate end = asOf.isBefore(p30.end()) ? asOf : p30.end();
        return (int) days.stream().filter(d -> !d.isBefore(p30.start()) && !d.isAfter(end)).count();
    }

    /** Count of data days in a calendar month up to {@code asOf}. */
    public static int inMonth(Set<LocalDate> days, YearMonth month, LocalDate asOf) {
        return (int) days.stream().filter(d -> YearMonth.from(d).equals(month) && !d.isAfter(asOf)).count();
    }
}
