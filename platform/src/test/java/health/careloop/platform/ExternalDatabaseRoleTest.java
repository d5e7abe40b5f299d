package health.careloop.platform;

import health.careloop.common.config.DatabaseConfig;
import health.careloop.common.db.Database;
import health.careloop.common.db.PracticeScope;
import health.careloop.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An external PostgreSQL set up as the compose deployment and the README say: the init script
 * (deploy/postgres/initdb/10-careloop-role.sh) run by the superuser, then CareLoop connected as the role it made.
 * CareLoop migrates and serves as that role, the role is no superuser and cannot bypass row-level security, a
 * staff-scoped query sees only its practice, and the audit trail cannot be changed by it. The role gets a name of its
 * own (roles are shared by every database of the server, and other test runs use it) and is dropped at the end.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ExternalDatabaseRoleTest {
    private static final Path SCRIPT = Path.of("..", "deploy", "postgres", "initdb", "10-careloop-role.sh");

    @Test
    void careLoopRunsAsTheRoleTheInitScriptMakesAndRowLevelSecurityHoldsForIt() throws Exception {
        DatabaseConfig admin = TestDatabases.fresh();
        String role = "careloop_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String password = UUID.randomUUID().toString();
        try {
            runScript(admin, role, password);
            runScript(admin, role, password); // again: nothing breaks
            try (Platform platform = EmbeddedPlatforms.start(Map.of("CARELOOP_DB_URL", admin.jdbcUrl(), "CARELOOP_DB_USER", role,
                    "CARELOOP_DB_PASSWORD", password))) {
                ApiClient system = new ApiClient(platform.httpPort(), platform.apiToken());
                String practiceA = system.id(system.post("/api/v1/practices", "{\"name\":\"External A\",\"timeZone\":\"UTC\"}"));
                String practiceB = system.id(system.post("/api/v1/practices", "{\"name\":\"External B\",\"timeZone\":\"UTC\"}"));
                String patientA = system.id(system.post("/api/v1/patients", "{\"practiceId\":\"" + practiceA + "\",\"externalRef\":\"MRN-A\"}"));
                try (Connection c = DriverManager.getConnection(platform.jdbcUrlForTests()); Statement s = c.createStatement()) {
                    try (ResultSet rs = s.executeQuery("SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")) {
                        rs.next();
                        assertThat(rs.getString(1)).isEqualTo(role);
                        assertThat(rs.getBoolean(2)).as("superuser").isFalse();
                        assertThat(rs.getBoolean(3)).as("bypasses row-level security").isFalse();
                    }
                    assertThatThrownBy(() -> s.executeUpdate("UPDATE core.audit_event SET actor = 'x'"))
                            .as("its own privilege to change the audit trail is revoked").hasMessageContaining("permission denied");
                    assertThatThrownBy(() -> s.execute("TRUNCATE core.audit_event")).hasMessageContaining("permission denied");
                }
                try (Database database = Database.connect(new DatabaseConfig(platform.jdbcUrlForTests(), null, null, 1))) {
                    long seen = PracticeScope.call(UUID.fromString(practiceB), () -> count(database,
                            "SELECT count(*) FROM core.patient WHERE id = '" + patientA + "'"));
                    assertThat(seen).as("practice B's staff scope sees A's patient").isZero();
                    long own = PracticeScope.call(UUID.fromString(practiceA), () -> count(database,
                            "SELECT count(*) FROM core.patient WHERE id = '" + patientA + "'"));
                    assertThat(own).isEqualTo(1);
                }
            }
        } finally {
            TestDatabases.drop(admin);
            TestDatabases.dropRole(role);
        }
    }

    private static long count(Database database, String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** As the TimescaleDB container's entrypoint runs it: psql as the superuser, the names and password from the environment. */
    private static void runScript(DatabaseConfig admin, String role, String password) throws Exception {
        Matcher url = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([a-z0-9_]+).*").matcher(admin.jdbcUrl());
        assertThat(url.matches()).as(admin.jdbcUrl()).isTrue();
        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true);
        builder.environment().putAll(Map.of("PGHOST", url.group(1), "PGPORT", url.group(2), "PGPASSWORD", admin.password(),
                "POSTGRES_USER", admin.user(), "POSTGRES_DB", url.group(3), "CARELOOP_DB_USER", role, "CARELOOP_DB_PASSWORD", password));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("the init script: " + output).isZero();
    }
}
