package health.careloop.ingest;

import health.careloop.common.directory.Patient;
import health.careloop.common.directory.Practice;
import health.careloop.ingest.devices.DeviceKind;
import health.careloop.ingest.devices.DeviceRecord;
import health.careloop.ingest.devices.DeviceRegistry;
import health.careloop.ingest.devices.MonitoredPatient;
import health.careloop.ingest.storage.ReadingQueries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What ingest answers other tiers for many patients at once (the billing month close reads a chunk of patients at a
 * time) and the practice time zones it now reads through common's Directory, on a real PostgreSQL.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PatientBatchReadsTest {
    private static final Instant T0 = Instant.parse("2026-10-01T15:00:00Z");
    private IngestHarness h;
    private Practice chicago;
    private Practice kolkata;

    @BeforeAll
    void start() throws Exception {
        h = IngestHarness.onFreshDatabase();
        chicago = h.practice("America/Chicago");
        kolkata = h.practice("Asia/Kolkata");
    }

    @AfterAll
    void stop() {
        h.close();
    }

    private String device(Patient patient) throws SQLException {
        String id = "cuff-" + UUID.randomUUID().toString().substring(0, 8);
        h.devices.register(id, patient.practiceId(), DeviceKind.BLOOD_PRESSURE_CUFF, "test model");
        return id;
    }

    @Test
    void firstAssignmentsCountReturnedDevicesAndLeaveOutPatientsWithoutOne() throws SQLException {
        Patient first = h.patient(chicago);
        Patient second = h.patient(chicago);
        Patient withoutDevice = h.patient(chicago);
        Patient notAsked = h.patient(chicago);
        String swapped = device(first);
        h.devices.assign(swapped, first.id(), T0, null);
        // The cuff moves to the second patient; the first gets a new one later: their monitoring still began at T0.
        h.devices.assign(swapped, second.id(), T0.plus(10, ChronoUnit.DAYS), null);
        h.devices.assign(device(first), first.id(), T0.plus(12, ChronoUnit.DAYS), null);
        h.devices.assign(device(notAsked), notAsked.id(), T0, null);

        Map<UUID, Instant> starts;
        try (Connection c = h.database.connection()) {
            starts = DeviceRegistry.firstAssignments(c, List.of(first.id(), second.id(), withoutDevice.id()));
            assertThat(DeviceRegistry.firstAssignments(c, List.of())).isEmpty();
        }
        assertThat(starts).containsOnlyKeys(first.id(), second.id())
                .containsEntry(first.id(), T0)
                .containsEntry(second.id(), T0.plus(10, ChronoUnit.DAYS));
    }

    @Test
    void dataDaysOfManyPatientsAreTheirDaysInTheInclusiveRange() throws SQLException {
        Patient a = h.patient(chicago);
        Patient b = h.patient(chicago);
        Patient none = h.patient(chicago);
        LocalDate d = LocalDate.of(2026, 11, 1);
        rollup(a, d.minusDays(1), 2);
        rollup(a, d, 3);
        rollup(a, d.plusDays(9), 1);
        rollup(a, d.plusDays(10), 4);
        rollup(b, d.plusDays(4), 1);

        Map<UUID, Set<LocalDate>> days;
        try (Connection c = h.database.connection()) {
            days = ReadingQueries.dataDaysOfPatients(c, List.of(a.id(), b.id(), none.id()), d, d.plusDays(9));
        }
        assertThat(days).containsOnlyKeys(a.id(), b.id());
        assertThat(days.get(a.id())).containsExactlyInAnyOrder(d, d.plusDays(9));
        assertThat(days.get(b.id())).containsExactly(d.plusDays(4));
    }

    /** A data-day rollup row as ingest keeps it on plain PostgreSQL (these tests are about reading, not writing). */
    private void rollup(Patient p, LocalDate day, int readings) throws SQLException {
        try (Connection c = h.database.connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ingest.reading_day (practice_id, patient_id, local_date, reading_count) VALUES (?, ?, ?, ?)")) {
            ps.setObject(1, p.practiceId());
            ps.setObject(2, p.id());
            ps.setObject(3, day);
            ps.setInt(4, readings);
            ps.executeUpdate();
        }
    }

    @Test
    void devicesAndMonitoredPatientsCarryTheirOwnPracticesZone() throws SQLException {
        Patient inChicago = h.patient(chicago);
        Patient inKolkata = h.patient(kolkata);
        String chicagoCuff = device(inChicago);
        String kolkataCuff = device(inKolkata);
        h.devices.assign(chicagoCuff, inChicago.id(), T0, null);
        h.devices.assign(kolkataCuff, inKolkata.id(), T0.plus(1, ChronoUnit.DAYS), null);

        Map<String, DeviceRecord> loaded;
        try (Connection c = h.database.connection()) {
            loaded = h.devices.load(c, List.of(chicagoCuff, kolkataCuff, "not-registered"));
            assertThat(h.devices.load(c, List.of("not-registered"))).isEmpty();
        }
        assertThat(loaded).containsOnlyKeys(chicagoCuff, kolkataCuff);
        assertThat(loaded.get(chicagoCuff).practiceZone()).isEqualTo(ZoneId.of("America/Chicago"));
        assertThat(loaded.get(kolkataCuff).practiceZone()).isEqualTo(ZoneId.of("Asia/Kolkata"));
        assertThat(loaded.get(kolkataCuff).assignments()).singleElement().satisfies(a -> assertThat(a.patientId()).isEqualTo(inKolkata.id()));
        assertThat(h.devices.find(kolkataCuff)).hasValueSatisfying(r -> assertThat(r.practiceZone()).isEqualTo(ZoneId.of("Asia/Kolkata")));

        Map<UUID, MonitoredPatient> monitored = h.devices.monitoredPatients().stream()
                .collect(Collectors.toMap(MonitoredPatient::patientId, Function.identity()));
        assertThat(monitored.get(inChicago.id())).isEqualTo(new MonitoredPatient(inChicago.id(), chicago.id(), ZoneId.of("America/Chicago"), T0));
        assertThat(monitored.get(inKolkata.id()))
                .isEqualTo(new MonitoredPatient(inKolkata.id(), kolkata.id(), ZoneId.of("Asia/Kolkata"), T0.plus(1, ChronoUnit.DAYS)));
        assertThat(h.devices.everMonitoredPatients()).extracting(MonitoredPatient::patientId).contains(inChicago.id(), inKolkata.id());
    }
}
