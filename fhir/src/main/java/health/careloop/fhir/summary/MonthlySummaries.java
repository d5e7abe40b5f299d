package health.careloop.fhir.summary;

import health.careloop.billing.claims.MonthClose;
import health.careloop.billing.ledger.TimeEntry;
import health.careloop.billing.ledger.TimeLedger;
import health.careloop.clinical.alerts.Alert;
import health.careloop.clinical.alerts.AlertStore;
import health.careloop.clinical.careplan.CarePlanVersion;
import health.careloop.clinical.careplan.CarePlans;
import health.careloop.clinical.patients.PatientProfiles;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import health.careloop.common.directory.Practice;
import health.careloop.ingest.storage.ReadingQueries;
import health.careloop.ingest.storage.StoredReading;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Builds a patient's {@link MonthlySummary} from the owners' reads: ingest's readings and data days, clinical's alerts,
 * care plans and demographics, billing's time ledger and the stored month close. Blocking; in the caller's practice scope.
 */
public final class MonthlySummaries {
    /** More readings than any patient takes in a month (four devices, several a day). */
    private static final int MAX_READINGS = 20_000;

    private final DataSource dataSource;
    private final Directory directory;
    private final PatientProfiles profiles;
    private final CarePlans carePlans;
    private final TimeLedger ledger;
    private final MonthClose monthClose;

    public MonthlySummaries(DataSource dataSource, TimeLedger ledger, MonthClose monthClose) {
        this.dataSource = dataSource;
        this.directory = new Directory(dataSource);
        this.profiles = new PatientProfiles(dataSource);
        this.carePlans = new CarePlans(dataSource);
        this.ledger = ledger;
        this.monthClose = monthClose;
    }

    public MonthlySummary build(Patient patient, YearMonth month) throws SQLException {
        return build(patient, month, monthClose.stored(patient.practiceId(), month).orElse(null));
    }

    /** With the practice's month close read once (a practice-month archive builds every patient's from it). */
    public MonthlySummary build(Patient patient, YearMonth month, MonthClose.Closed closed) throws SQLException {
        Practice practice = directory.practice(patient.practiceId()).orElseThrow();
        Instant from = month.atDay(1).atStartOfDay(practice.timeZone()).toInstant();
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay(practice.timeZone()).toInstant();
        Instant middle = from.plus(Duration.between(from, to).dividedBy(2));
        List<StoredReading> readings;
        int dataDays;
        List<Alert> alerts;
        try (Connection c = dataSource.getConnection()) {
            readings = ReadingQueries.readings(c, patient.id(), from, to, null, MAX_READINGS);
            dataDays = ReadingQueries.dataDaysOfPatients(c, List.of(patient.id()), month.atDay(1), month.atEndOfMonth())
                    .getOrDefault(patient.id(), Set.of()).size();
            alerts = AlertStore.list(c, patient.practiceId(), patient.id(), null, null, null, 1000).stream()
                    .filter(a -> !a.raisedAt().isBefore(from) && a.raisedAt().isBefore(to)).sorted(Comparator.comparing(Alert::raisedAt)).toList();
        }
        List<MonthlySummary.Measure> measures = new ArrayList<>();
        measure(measures, readings, "blood_pressure", "Systolic blood pressure", "mmHg", r -> r.systolic() == null ? null : BigDecimal.valueOf(r.systolic()), middle);
        measure(measures, readings, "blood_pressure", "Diastolic blood pressure", "mmHg", r -> r.diastolic() == null ? null : BigDecimal.valueOf(r.diastolic()), middle);
        measure(measures, readings, null, "Heart rate", "/min", r -> r.pulse() == null ? null : BigDecimal.valueOf(r.pulse()), middle);
        measure(measures, readings, "blood_glucose", "Blood glucose", "mg/dL", StoredReading::glucoseMgDl, middle);
        measure(measures, readings, "body_weight", "Body weight", "kg", StoredReading::weightKg, middle);
        measure(measures, readings, "oxygen_saturation", "Oxygen saturation", "%", StoredReading::spo2, middle);

        Map<String, Map<String, Integer>> minutes = new TreeMap<>();
        for (TimeEntry e : ledger.effective(patient.id(), from, to)) {
            Instant start = e.startedAt().isBefore(from) ? from : e.startedAt();
            Instant end = e.endedAt().isAfter(to) ? to : e.endedAt();
            long seconds = Duration.between(start, end).toSeconds();
            minutes.computeIfAbsent(e.program().wireName().toUpperCase(), k -> new TreeMap<>())
                    .merge(e.activity().wireName().replace('_', ' '), (int) (seconds / 60), Integer::sum);
        }
        LocalDate monthEnd = month.atEndOfMonth();
        Optional<CarePlanVersion> inForce = carePlans.versions(patient.id()).stream().filter(v -> !v.establishedOn().isAfter(monthEnd)).findFirst();
        var profile = profiles.find(patient.id());
        String name = profile.map(p -> p.familyName() + ", " + p.givenName()).orElse("(no demographics recorded)");
        return new MonthlySummary(practice.id(), practice.name(), patient.id(), patient.externalRef(), name, month, practice.timeZone(), dataDays,
                measures, alerts, minutes, inForce.orElse(null), closed != null,
                closed == null ? List.of() : closed.lines().stream().filter(l -> l.patientId().equals(patient.id())).toList(),
                closed == null ? List.of() : closed.notBilled().stream().filter(n -> n.patientId().equals(patient.id())).toList(), Instant.now());
    }

    private static void measure(List<MonthlySummary.Measure> out, List<StoredReading> readings, String type, String name, String unit,
                                Function<StoredReading, BigDecimal> value, Instant middle) {
        List<BigDecimal> all = new ArrayList<>();
        List<BigDecimal> first = new ArrayList<>();
        List<BigDecimal> second = new ArrayList<>();
        for (StoredReading r : readings) {
            if (type != null && !type.equals(r.type())) {
                continue;
            }
            BigDecimal v = value.apply(r);
            if (v == null) {
                continue;
            }
            all.add(v);
            (r.measuredAt().isBefore(middle) ? first : second).add(v);
        }
        if (all.isEmpty()) {
            return;
        }
        out.add(new MonthlySummary.Measure(name, unit, all.size(), all.stream().min(Comparator.naturalOrder()).orElseThrow(),
                all.stream().max(Comparator.naturalOrder()).orElseThrow(), mean(all), first.isEmpty() ? null : mean(first),
                second.isEmpty() ? null : mean(second)));
    }

    private static BigDecimal mean(List<BigDecimal> values) {
        return values.stream().reduce(BigDecimal.ZERO, BigDecimal::add).divide(BigDecimal.valueOf(values.size()), 1, RoundingMode.HALF_UP);
    }
}
