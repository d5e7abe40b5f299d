package health.careloop.testing;

import health.careloop.common.config.DatabaseConfig;
import health.careloop.embedded.EmbeddedDatabase;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Real PostgreSQL databases for tests: a fresh database per call on the machine's PostgreSQL (127.0.0.1:5432, as on
 * this project's CI machines), or, where none answers, on an embedded PostgreSQL started once for the test JVM.
 * Never a mock.
 */
public final class TestDatabases {
    private static final String LOCAL_ADMIN_URL = System.getProperty("careloop.test.postgresUrl", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String LOCAL_USER = System.getProperty("careloop.test.postgresUser", "postgres");
    private static String adminUrl;
    private static String user;
    private static String password = "";

    private TestDatabases() {
    }

    /** A new, empty database; the caller drops it with {@link #drop}. */
    public static synchronized DatabaseConfig fresh() {
        String name = "careloop_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + name);
        return new DatabaseConfig(adminUrl().replaceFirst("/postgres($|\\?)", "/" + name + "$1"), user, password, 6);
    }

    /** A new database holding a copy of {@code source} (PostgreSQL's template copy; nobody may be connected to it). */
    public static synchronized DatabaseConfig copyOf(DatabaseConfig source) {
        String name = "careloop_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + name + " TEMPLATE " + nameOf(source));
        return new DatabaseConfig(adminUrl().replaceFirst("/postgres($|\\?)", "/" + name + "$1"), user, password, 6);
    }

    private static String nameOf(DatabaseConfig config) {
        return config.jdbcUrl().replaceFirst(".*/([a-z0-9_]+)(\\?.*)?$", "$1");
    }

    public static synchronized void drop(DatabaseConfig config) {
        String name = config.jdbcUrl().replaceFirst(".*/([a-z0-9_]+)(\\?.*)?$", "$1");
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /** Drops a role a test made on the shared server (its databases first: a role that owns something cannot go). */
    public static synchronized void dropRole(String role) {
        if (!role.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a role name: " + role);
        }
        execute("DROP ROLE IF EXISTS " + role);
    }

    private static void execute(String sql) {
        try (Connection c = DriverManager.getConnection(adminUrl(), user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test database setup failed: " + sql, e);
        }
    }

    private static String adminUrl() {
        if (adminUrl == null) {
            try (Connection ignored = DriverManager.getConnection(LOCAL_ADMIN_URL, LOCAL_USER, "")) {
                adminUrl = LOCAL_ADMIN_URL;
                user = LOCAL_USER;
            } catch (SQLException e) {
                try {
                    EmbeddedDatabase embedded = EmbeddedDatabase.start(Files.createTempDirectory("careloop-test-pg"), 0);
                    Runtime.getRuntime().addShutdownHook(new Thread(embedded::close));
                    // Tests create databases: the superuser, which CareLoop itself never connects as.
                    adminUrl = embedded.superuserConfig().jdbcUrl();
                    user = embedded.superuserConfig().user();
                    password = embedded.superuserConfig().password();
                    System.err.println("No PostgreSQL at " + LOCAL_ADMIN_URL + "; tests use an embedded PostgreSQL on port " + embedded.port());
                } catch (Exception startFailure) {
                    throw new IllegalStateException("No PostgreSQL for tests: none at " + LOCAL_ADMIN_URL + " and the embedded one failed", startFailure);
                }
            }
        }
        return adminUrl;
    }

}
