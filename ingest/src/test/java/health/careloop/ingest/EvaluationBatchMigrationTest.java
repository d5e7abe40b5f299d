package health.careloop.ingest;

import health.careloop.common.config.DatabaseConfig;
import health.careloop.common.db.Database;
import health.careloop.common.directory.CoreSchema;
import health.careloop.ingest.config.StorageModePreference;
import health.careloop.ingest.storage.EvaluationQueue;
import health.careloop.ingest.storage.IngestSchema;
import health.careloop.testing.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ingest V9 (issue 19) replaces the per-reading evaluation queue with one row per ingest batch. A database upgraded
 * with readings still waiting must hand every one of them to the evaluator, in their old order, none twice, and in rows
 * small enough to evaluate (a thousand each).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EvaluationBatchMigrationTest {
    @Test
    void readingsWaitingInTheOldQueueAreCarriedIntoRowsOfAThousandInOrder() throws Exception {
        DatabaseConfig config = TestDatabases.fresh();
        try (Database database = Database.connect(config)) {
            CoreSchema.migrate(database.dataSource());
            Flyway.configure().dataSource(database.dataSource()).schemas("ingest").defaultSchema("ingest").createSchemas(true)
                    .locations("classpath:db/ingest/common", "classpath:db/ingest/postgres").table("flyway_schema_history")
                    .target("8").load().migrate();
            UUID practice = UUID.randomUUID();
            UUID patient = UUID.randomUUID();
            Instant first = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
            try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO ingest.evaluation_queue (practice_id, patient_id, device_id, type, measured_at) VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < 3; i++) {
                    ps.setObject(1, practice);
                    ps.setObject(2, patient);
                    ps.setString(3, "bp-" + i);
                    ps.setString(4, "blood_pressure");
                    ps.setTimestamp(5, Timestamp.from(first.plusSeconds(i)));
                    ps.executeUpdate();
                }
            }
            // A backlog behind them, as a clinical outage leaves it.
            try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO ingest.evaluation_queue (practice_id, patient_id, device_id, type, measured_at)
                    SELECT ?, ?, 'bulk-' || g, 'blood_pressure', ?::timestamptz + (2 + g) * interval '1 second'
                    FROM generate_series(1, 2500) g""")) {
                ps.setObject(1, practice);
                ps.setObject(2, patient);
                ps.setTimestamp(3, Timestamp.from(first));
                ps.executeUpdate();
            }

            IngestSchema.migrate(database.dataSource(), StorageModePreference.POSTGRES);

            try (Connection c = database.connection()) {
                assertThat(EvaluationQueue.backlog(c)).isEqualTo(2503);
                List<Integer> sizes = new ArrayList<>();
                try (ResultSet rs = c.createStatement().executeQuery("SELECT size FROM ingest.evaluation_batch ORDER BY id")) {
                    while (rs.next()) {
                        sizes.add(rs.getInt(1));
                    }
                }
                assertThat(sizes).containsExactly(1000, 1000, 503);
                c.setAutoCommit(false);
                EvaluationQueue.Locked locked = EvaluationQueue.lock(c, 100);
                assertThat(locked.batchIds()).hasSize(1);
                assertThat(locked.entries()).hasSize(1000);
                assertThat(locked.entries().subList(0, 4)).extracting(EvaluationQueue.Entry::deviceId)
                        .containsExactly("bp-0", "bp-1", "bp-2", "bulk-1");
                assertThat(locked.entries().subList(0, 3)).extracting(EvaluationQueue.Entry::measuredAt)
                        .containsExactly(first, first.plusSeconds(1), first.plusSeconds(2));
                assertThat(locked.entries()).allSatisfy(e -> {
                    assertThat(e.practiceId()).isEqualTo(practice);
                    assertThat(e.patientId()).isEqualTo(patient);
                });
                EvaluationQueue.finish(c, locked, List.of());
                EvaluationQueue.Locked rest = EvaluationQueue.lock(c, 5000);
                assertThat(rest.batchIds()).hasSize(2);
                assertThat(rest.entries()).hasSize(1503);
                assertThat(rest.entries().get(0).deviceId()).isEqualTo("bulk-998");
                assertThat(rest.entries().get(1502).deviceId()).isEqualTo("bulk-2500");
                EvaluationQueue.finish(c, rest, List.of());
                c.commit();
                assertThat(EvaluationQueue.backlog(c)).isZero();
                // The view over the rows, one reading each, for operators and meters.
                try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM ingest.evaluation_queue")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isZero();
                }
            }
        } finally {
            TestDatabases.drop(config);
        }
    }

    @Test
    void aRowWhoseArraysDoNotLineUpIsRefused() throws Exception {
        DatabaseConfig config = TestDatabases.fresh();
        try (Database database = Database.connect(config)) {
            CoreSchema.migrate(database.dataSource());
            IngestSchema.migrate(database.dataSource(), StorageModePreference.POSTGRES);
            try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO ingest.evaluation_batch (size, practice_ids, patient_ids, device_ids, types, measured_ats)
                    VALUES (2, ARRAY[gen_random_uuid()], ARRAY[gen_random_uuid()], ARRAY['a'], ARRAY['t'], ARRAY[now()])""")) {
                org.assertj.core.api.Assertions.assertThatThrownBy(ps::executeUpdate).hasMessageContaining("evaluation_batch_check");
            }
        } finally {
            TestDatabases.drop(config);
        }
    }
}
