package health.careloop.common.directory;

import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.auth.StaffMember;
import health.careloop.common.auth.StaffRole;
import health.careloop.common.config.DatabaseConfig;
import health.careloop.common.db.Database;
import health.careloop.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reads and locks through which the other tiers reach core's rows (their SQL names only their own schema), on a
 * real PostgreSQL: batch answers for many ids in one query, unknown ids absent, locks held until the caller's
 * transaction ends.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoreBatchReadsTest {
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private DatabaseConfig config;
    private Database database;
    private Directory directory;
    private StaffAccounts staff;
    private Practice chicago;
    private Practice auckland;

    @BeforeAll
    void start() throws SQLException {
        config = TestDatabases.fresh();
        database = Database.connect(config);
        CoreSchema.migrate(database.dataSource());
        directory = new Directory(database.dataSource());
        staff = new StaffAccounts(database.dataSource());
        chicago = directory.createPractice("Chicago " + UUID.randomUUID(), ZoneId.of("America/Chicago"));
        auckland = directory.createPractice("Auckland " + UUID.randomUUID(), ZoneId.of("Pacific/Auckland"));
    }

    @AfterAll
    void stop() {
        database.close();
        TestDatabases.drop(config);
    }

    @Test
    void patientIdsComeInChunksByIdAndOnlyThePracticesOwn() throws SQLException {
        Practice practice = directory.createPractice("Chunks " + UUID.randomUUID(), ZoneId.of("UTC"));
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(directory.createPatient(practice.id(), "MRN-" + i).id());
        }
        directory.createPatient(chicago.id(), "MRN-elsewhere");
        // PostgreSQL orders uuids by their bytes, i.e. by their hex text (Java's compareTo compares signed longs).
        ids.sort(Comparator.comparing(UUID::toString));
        try (Connection c = database.connection()) {
            assertThat(Directory.patientIds(c, practice.id())).containsExactlyElementsOf(ids);
            List<UUID> first = Directory.patientIds(c, practice.id(), null, 2);
            List<UUID> second = Directory.patientIds(c, practice.id(), first.get(1), 2);
            List<UUID> third = Directory.patientIds(c, practice.id(), second.get(1), 2);
            assertThat(first).containsExactlyElementsOf(ids.subList(0, 2));
            assertThat(second).containsExactlyElementsOf(ids.subList(2, 4));
            assertThat(third).containsExactlyElementsOf(ids.subList(4, 5));
            assertThat(Directory.patientIds(c, practice.id(), third.get(0), 2)).isEmpty();
            assertThat(Directory.patientIds(c, UUID.randomUUID())).isEmpty();
        }
    }

    @Test
    void practicesOfPatientsAndTheirZonesAreFoundAndUnknownIdsAreAbsent() throws SQLException {
        Patient patient = directory.createPatient(auckland.id(), "MRN-" + UUID.randomUUID());
        UUID unknown = UUID.randomUUID();
        try (Connection c = database.connection()) {
            assertThat(Directory.practiceOfPatient(c, patient.id())).contains(auckland.id());
            assertThat(Directory.practiceOfPatient(c, unknown)).isEmpty();
            assertThat(Directory.practiceExists(c, chicago.id())).isTrue();
            assertThat(Directory.practiceExists(c, unknown)).isFalse();
            assertThat(Directory.timeZones(c, List.of(chicago.id(), auckland.id(), unknown)))
                    .containsOnlyKeys(chicago.id(), auckland.id())
                    .containsEntry(chicago.id(), ZoneId.of("America/Chicago"))
                    .containsEntry(auckland.id(), ZoneId.of("Pacific/Auckland"));
            assertThat(Directory.timeZones(c, List.of())).isEmpty();
            assertThat(Directory.timeZones(c)).containsEntry(chicago.id(), ZoneId.of("America/Chicago"))
                    .containsEntry(auckland.id(), ZoneId.of("Pacific/Auckland"));
        }
    }

    @Test
    void staffNpisAndNamesComeInOneAnswerWithUnknownIdsAbsent() throws SQLException {
        StaffMember doctor = staff.create(chicago.id(), UUID.randomUUID() + "@example.org", "Okafor, Ada", StaffRole.PHYSICIAN, "1234567893",
                "a long passphrase");
        StaffMember nurse = staff.create(chicago.id(), UUID.randomUUID() + "@example.org", "Nurse, Robin", StaffRole.RN, null,
                "a long passphrase");
        UUID unknown = UUID.randomUUID();
        try (Connection c = database.connection()) {
            assertThat(StaffAccounts.npis(c, List.of(doctor.id(), nurse.id(), unknown)))
                    .containsOnlyKeys(doctor.id(), nurse.id())
                    .containsEntry(doctor.id(), "1234567893")
                    .containsEntry(nurse.id(), null);
            assertThat(StaffAccounts.npis(c, Set.of())).isEmpty();
            assertThat(StaffAccounts.displayNames(c, List.of(doctor.id(), nurse.id(), unknown)))
                    .containsOnlyKeys(doctor.id(), nurse.id())
                    .containsEntry(doctor.id(), "Okafor, Ada")
                    .containsEntry(nurse.id(), "Nurse, Robin");
        }
    }

    @Test
    void anActiveMemberIsOnlyOneOfTheirOwnPracticeWhileActive() throws SQLException {
        StaffMember member = staff.create(chicago.id(), UUID.randomUUID() + "@example.org", "Coordinator, Sam", StaffRole.CARE_COORDINATOR, null,
                "a long passphrase");
        try (Connection c = database.connection()) {
            assertThat(StaffAccounts.isActiveMemberOf(c, member.id(), chicago.id())).isTrue();
            assertThat(StaffAccounts.isActiveMemberOf(c, member.id(), auckland.id())).isFalse();
            assertThat(StaffAccounts.isActiveMemberOf(c, UUID.randomUUID(), chicago.id())).isFalse();
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE core.staff_user SET active = false WHERE id = '" + member.id() + "'");
            }
            assertThat(StaffAccounts.isActiveMemberOf(c, member.id(), chicago.id())).isFalse();
        }
    }

    @Test
    void aPatientLockHoldsUntilTheTransactionEnds() throws SQLException {
        Patient patient = directory.createPatient(chicago.id(), "MRN-" + UUID.randomUUID());
        assertLockHeldUntilRollback(c -> Directory.lockPatient(c, patient.id()));
    }

    @Test
    void aStaffMemberLockHoldsUntilTheTransactionEnds() throws SQLException {
        StaffMember member = staff.create(chicago.id(), UUID.randomUUID() + "@example.org", "Nurse, Lee", StaffRole.LPN, null, "a long passphrase");
        assertLockHeldUntilRollback(c -> StaffAccounts.lockStaffMember(c, member.id()));
    }

    @FunctionalInterface
    private interface Lock {
        void take(Connection c) throws SQLException;
    }

    private void assertLockHeldUntilRollback(Lock lock) throws SQLException {
        try (Connection holder = database.connection(); Connection other = database.connection()) {
            holder.setAutoCommit(false);
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                s.execute("SET lock_timeout = '300ms'");
            }
            lock.take(holder);
            assertThatThrownBy(() -> lock.take(other)).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(LOCK_NOT_AVAILABLE));
            other.rollback();
            holder.rollback();
            lock.take(other);
            other.rollback();
        }
    }
}
