package health.careloop.platform;

import health.careloop.billing.BillingTier;
import health.careloop.clinical.ClinicalTier;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.auth.StaffRole;
import health.careloop.platform.config.CareLoopConfig;
import health.careloop.common.config.DatabaseConfig;
import health.careloop.ingest.config.StorageModePreference;
import health.careloop.common.db.Database;
import health.careloop.common.db.PracticeIsolation;
import health.careloop.common.directory.Directory;
import health.careloop.ingest.IngestTier;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A data directory as CareLoop left it before issue 14 (zonky's trust authentication, CareLoop's schemas made and its
 * data written by the superuser, core at version 2) comes up with the new CareLoop on the same directory: converted
 * in place, migrated on by the application role, its data served, and the superuser no longer trusted.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class EmbeddedUpgradeTest {
    @Test
    void anOldStyleDataDirectoryUpgradesInPlaceAtTheNextStart() throws Exception {
        Path dataDir = Files.createTempDirectory("careloop-old");
        UUID practice;
        UUID patient;
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres")).setCleanDataDirectory(false).start()) {
            DatabaseConfig superuser = new DatabaseConfig(old.getJdbcUrl("postgres", "postgres"), "postgres", "", 4);
            try (Database database = Database.connect(superuser)) {
                // The core schema as it was (versions 1 and 2), the tiers as they are; all made by the superuser.
                Flyway.configure().dataSource(database.dataSource()).schemas("core").defaultSchema("core").createSchemas(true)
                        .locations("classpath:db/core").table("flyway_schema_history").target("2").load().migrate();
                IngestTier.open(database, CareLoopConfig.from(Map.of()).ingest(), StorageModePreference.AUTO);
                ClinicalTier.open(database);
                BillingTier.open(database);
                PracticeIsolation.apply(database.dataSource());
                Directory directory = new Directory(database.dataSource());
                practice = directory.createPractice("Before", ZoneId.of("America/Chicago")).id();
                patient = directory.createPatient(practice, "MRN-OLD").id();
                new StaffAccounts(database.dataSource()).create(practice, "old.admin@example.org", "Admin, Old", StaffRole.ADMIN, null,
                        "correct horse battery");
            }
        }

        try (Platform platform = Platform.start(CareLoopConfig.from(Map.of("CARELOOP_DATA_DIR", dataDir.toString(), "CARELOOP_HTTP_PORT", "0",
                "CARELOOP_EMBEDDED_MQTT_PORT", Integer.toString(EmbeddedPlatforms.freePort()))))) {
            ApiClient anonymous = new ApiClient(platform.httpPort(), null);
            var login = anonymous.post("/api/v1/auth/login", new JsonObject().put("email", "old.admin@example.org")
                    .put("password", "correct horse battery").encode());
            assertThat(login.status()).as(login.body()).isEqualTo(200);
            ApiClient admin = new ApiClient(platform.httpPort(), login.json().getString("token"));
            assertThat(admin.get("/api/v1/patients/" + patient).json().getString("externalRef")).isEqualTo("MRN-OLD");
            assertThat(admin.get("/api/v1/audit-events").status()).as("core migrated on to its latest version by the application role").isEqualTo(200);

            try (Connection c = DriverManager.getConnection(platform.jdbcUrlForTests()); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("careloop");
                    assertThat(rs.getBoolean(2)).isFalse();
                }
                try (ResultSet rs = s.executeQuery("""
                        SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname IN ('core', 'ingest', 'clinical', 'billing') AND c.relowner <> 'careloop'::regrole""")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("relations still owned by the superuser").isZero();
                }
                try (ResultSet rs = s.executeQuery("SELECT max(version) FROM core.flyway_schema_history WHERE success")) {
                    rs.next();
                    // The latest core migration (V4, first-run setup): the old directory was migrated all the way.
                    assertThat(rs.getString(1)).isEqualTo("4");
                }
            }
            assertThat(Files.readString(dataDir.resolve("postgres/pg_hba.conf"))).doesNotContainPattern("(?m)^[^#]*\\btrust\\b");
        }
    }
}
