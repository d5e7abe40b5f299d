package health.careloop.ingest;

import health.careloop.common.db.Database;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import health.careloop.common.directory.Practice;
import health.careloop.ingest.storage.ReadingQueries;
import health.careloop.ingest.storage.StoredReading;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The multi-patient reads the clinical evaluator makes once per batch, on a real PostgreSQL (and, in
 * {@link ReadingQueriesTimescaleTest}, on TimescaleDB: the same SQL runs on both storage modes).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadingQueriesTest {
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Database database;
    Directory directory;
    Practice practice;
    private AutoCloseable cleanUp;

    /** Migrated core and ingest schemas, and what to close after. */
    protected AutoCloseable open() throws Exception {
        IngestHarness ingest = IngestHarness.onFreshDatabase();
        database = ingest.database;
        return ingest;
    }

    @BeforeAll
    void start() throws Exception {
        cleanUp = open();
        directory = new Directory(database.dataSource());
        practice = directory.createPractice("Practice " + UUID.randomUUID(), ZoneId.of("UTC"));
    }

    @AfterAll
    void stop() throws Exception {
        cleanUp.close();
    }

    private Patient patient() throws SQLException {
        return directory.createPatient(practice.id(), "MRN-" + UUID.randomUUID());
    }

    private static Instant daysAgo(double days) {
        return NOW.minusSeconds((long) (days * 86400));
    }

    /** A blood-pressure reading stored directly (these tests are about reading, not writing). */
    private void store(Patient p, String device, Instant at, int systolic) throws SQLException {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO ingest.reading (device_id, type, measured_at, practice_id, patient_id, local_date, measured_offset_minutes,
                                            received_at, systolic, diastolic, unit, loinc)
                VALUES (?, 'blood_pressure', ?, ?, ?, ?, 0, now(), ?, 80, 'mmHg', '85354-9')""")) {
            ps.setString(1, device);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setObject(3, p.practiceId());
            ps.setObject(4, p.id());
            ps.setObject(5, at.atOffset(ZoneOffset.UTC).toLocalDate());
            ps.setInt(6, systolic);
            ps.executeUpdate();
        }
    }

    private static List<Integer> systolic(List<StoredReading> readings) {
        return readings.stream().map(StoredReading::systolic).toList();
    }

    @Test
    void eachPatientGetsTheReadingsOfTheirOwnWindowOldestFirstUpToTheLimit() throws Exception {
        Patient a = patient();
        Patient b = patient();
        Patient c = patient();
        Patient notAsked = patient();
        // Stored out of order, over two months (two partitions).
        store(a, "cuff-a", daysAgo(2), 102);
        store(a, "cuff-a", daysAgo(40), 140);
        store(a, "cuff-a", daysAgo(5), 105);
        store(a, "cuff-a", daysAgo(1), 101);
        store(a, "cuff-a", daysAgo(10), 110);
        store(c, "cuff-c", daysAgo(3), 103);
        store(c, "cuff-c2", daysAgo(3), 113);
        store(c, "cuff-c", daysAgo(4), 104);
        store(notAsked, "cuff-n", daysAgo(2), 150);

        Map<UUID, List<StoredReading>> found;
        try (Connection conn = database.connection()) {
            found = ReadingQueries.readingsForPatients(conn, Map.of(
                    a.id(), new ReadingQueries.Window(daysAgo(45), daysAgo(1.5)),
                    b.id(), new ReadingQueries.Window(daysAgo(8), NOW),
                    c.id(), new ReadingQueries.Window(daysAgo(8), NOW)), 2);
        }
        assertThat(found).containsOnlyKeys(a.id(), b.id(), c.id());
        // a: the window ends before the newest reading; the limit keeps the two oldest.
        assertThat(systolic(found.get(a.id()))).containsExactly(140, 110);
        assertThat(found.get(b.id())).isEmpty();
        assertThat(systolic(found.get(c.id()))).containsExactly(104, 103);
        assertThat(found.get(c.id())).allSatisfy(r -> assertThat(r.patientId()).isEqualTo(c.id()));

        try (Connection conn = database.connection()) {
            found = ReadingQueries.readingsForPatients(conn, Map.of(
                    a.id(), new ReadingQueries.Window(daysAgo(6), daysAgo(1.5)),
                    c.id(), new ReadingQueries.Window(daysAgo(3), daysAgo(3).plusMillis(1))), 100);
            assertThat(ReadingQueries.readingsForPatients(conn, Map.of(), 100)).isEmpty();
        }
        assertThat(systolic(found.get(a.id()))).containsExactly(105, 102);
        // Same measured time on two devices: ordered by device.
        assertThat(found.get(c.id())).extracting(StoredReading::deviceId).containsExactly("cuff-c", "cuff-c2");
    }

    @Test
    void readingsAreFoundByIdentityAcrossPartitionsAndMissingOnesAreLeftOut() throws Exception {
        Patient p = patient();
        Instant old = daysAgo(35);
        Instant recent = daysAgo(0.01);
        store(p, "cuff-i", old, 135);
        store(p, "cuff-i", recent, 120);
        List<StoredReading> found;
        try (Connection conn = database.connection()) {
            found = ReadingQueries.readingsByIdentity(conn, List.of(
                    new ReadingQueries.Identity("cuff-i", "blood_pressure", old),
                    new ReadingQueries.Identity("cuff-i", "blood_pressure", recent),
                    new ReadingQueries.Identity("cuff-i", "blood_pressure", recent),
                    new ReadingQueries.Identity("cuff-i", "blood_glucose", recent),
                    new ReadingQueries.Identity("cuff-x", "blood_pressure", recent),
                    new ReadingQueries.Identity("cuff-i", "blood_pressure", recent.minus(Duration.ofMillis(1)))));
            assertThat(ReadingQueries.readingsByIdentity(conn, List.of())).isEmpty();
        }
        assertThat(found).extracting(StoredReading::systolic).containsExactlyInAnyOrder(135, 120);
        assertThat(found).allSatisfy(r -> {
            assertThat(r.patientId()).isEqualTo(p.id());
            assertThat(r.diastolic()).isEqualTo(80);
        });
    }
}
