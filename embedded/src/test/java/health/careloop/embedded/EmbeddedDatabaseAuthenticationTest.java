package health.careloop.embedded;

import health.careloop.common.config.DatabaseConfig;
import health.careloop.common.db.PracticeScope;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded PostgreSQL asks every connection for a password and CareLoop connects as a role that is no superuser
 * and cannot bypass row-level security; a data directory from before (trust, everything owned by the superuser) is
 * converted in place at its next start, its data kept.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EmbeddedDatabaseAuthenticationTest {
    @TempDir
    Path dir;

    @Test
    void aNewDirectoryTrustsNobodyAndCareLoopIsNoSuperuser() throws Exception {
        Path data = dir.resolve("postgres");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data, 0)) {
            assertThat(Files.readString(data.resolve("pg_hba.conf"))).doesNotContainPattern("(?m)^[^#]*\\btrust\\b")
                    .contains("scram-sha-256");
            for (Path file : new Path[]{EmbeddedCredentials.superuserFile(data), EmbeddedCredentials.applicationFile(data)}) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString()).isEqualTo("rw-------");
            }
            DatabaseConfig app = db.config(1);
            assertThat(app.user()).isEqualTo(EmbeddedDatabase.APPLICATION_ROLE);
            for (String user : new String[]{"postgres", EmbeddedDatabase.APPLICATION_ROLE}) {
                assertThatThrownBy(() -> DriverManager.getConnection(app.jdbcUrl(), user, "")).as(user + " without a password")
                        .isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> DriverManager.getConnection(app.jdbcUrl(), user, "wrong-password")).as(user + " with a wrong one")
                        .hasMessageContaining("password authentication failed");
            }
            try (Connection c = DriverManager.getConnection(app.jdbcUrl(), app.user(), app.password()); Statement s = c.createStatement()) {
                assertRoleIsConfined(s);
                s.execute("CREATE SCHEMA core; CREATE TABLE core.t (v int)");
                s.execute("SET ROLE " + PracticeScope.ROLE);
                s.execute("RESET ROLE");
            }
            DatabaseConfig superuser = db.superuserConfig();
            try (Connection c = DriverManager.getConnection(superuser.jdbcUrl(), superuser.user(), superuser.password());
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
            }
        }
    }

    @Test
    void aDirectoryFromBeforeIsConvertedInPlaceAtItsNextStart() throws Exception {
        Path data = dir.resolve("postgres");
        // As CareLoop left it before issue 14: zonky's initdb (trust), CareLoop's schemas made by the superuser.
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
             Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE SCHEMA core;
                    CREATE TABLE core.practice (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text);
                    INSERT INTO core.practice (name) VALUES ('Riverside');
                    CREATE SEQUENCE core.loose;
                    CREATE FUNCTION core.answer() RETURNS int LANGUAGE sql AS 'SELECT 42';
                    CREATE VIEW core.names AS SELECT name FROM core.practice;
                    CREATE SCHEMA ingest;
                    CREATE TABLE ingest.reading (at date NOT NULL) PARTITION BY RANGE (at);
                    CREATE TABLE ingest.reading_2026 PARTITION OF ingest.reading FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
                    """);
        }
        assertThat(Files.readString(data.resolve("pg_hba.conf"))).containsPattern("(?m)^[^#]*\\btrust\\b");

        try (EmbeddedDatabase db = EmbeddedDatabase.start(data, 0)) {
            assertThat(Files.readString(data.resolve("pg_hba.conf"))).doesNotContainPattern("(?m)^[^#]*\\btrust\\b");
            assertThatThrownBy(() -> DriverManager.getConnection(db.config(1).jdbcUrl(), "postgres", ""))
                    .as("the superuser no longer gets in without its password").isInstanceOf(SQLException.class);
            DatabaseConfig app = db.config(1);
            try (Connection c = DriverManager.getConnection(app.jdbcUrl(), app.user(), app.password()); Statement s = c.createStatement()) {
                assertRoleIsConfined(s);
                try (ResultSet rs = s.executeQuery("SELECT name, core.answer(), nextval('core.loose') FROM core.practice")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).as("the data is kept").isEqualTo("Riverside");
                    assertThat(rs.getInt(2)).isEqualTo(42);
                }
                // The application role owns what the superuser made, so its migrations can go on changing it.
                s.execute("ALTER TABLE core.practice ADD COLUMN time_zone text");
                s.execute("INSERT INTO core.practice (name) VALUES ('Lakeside')");
                s.execute("CREATE OR REPLACE FUNCTION core.answer() RETURNS int LANGUAGE sql AS 'SELECT 43'");
                s.execute("CREATE OR REPLACE VIEW core.names AS SELECT name, time_zone FROM core.practice");
                s.execute("ALTER TABLE ingest.reading_2026 ADD CONSTRAINT recent CHECK (at > '2025-01-01')");
                s.execute("CREATE TABLE ingest.reading_2027 PARTITION OF ingest.reading FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')");
                try (ResultSet rs = s.executeQuery("""
                        SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname IN ('core', 'ingest') AND c.relowner <> 'careloop'::regrole""")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("relations still owned by the superuser").isZero();
                }
            }
        }
        // And again: nothing left to convert, the passwords kept.
        String applicationPassword = Files.readString(EmbeddedCredentials.applicationFile(data)).trim();
        try (EmbeddedDatabase again = EmbeddedDatabase.start(data, 0)) {
            assertThat(again.config(1).password()).isEqualTo(applicationPassword);
            try (Connection c = DriverManager.getConnection(again.config(1).jdbcUrl(), again.config(1).user(), again.config(1).password());
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM core.practice")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void aLostPasswordFileIsReplacedAndAPasswordFileOthersCouldReadIsMadeOwnerOnly() throws Exception {
        Path data = dir.resolve("postgres");
        try (EmbeddedDatabase first = EmbeddedDatabase.start(data, 0)) {
            assertThat(first.port()).isPositive();
        }
        String oldSuperuser = Files.readString(EmbeddedCredentials.superuserFile(data)).trim();
        Files.delete(EmbeddedCredentials.superuserFile(data));
        Files.setPosixFilePermissions(EmbeddedCredentials.applicationFile(data), PosixFilePermissions.fromString("rw-r--r--"));
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data, 0)) {
            DatabaseConfig superuser = db.superuserConfig();
            assertThat(superuser.password()).isNotEqualTo(oldSuperuser);
            DriverManager.getConnection(superuser.jdbcUrl(), superuser.user(), superuser.password()).close();
            assertThatThrownBy(() -> DriverManager.getConnection(superuser.jdbcUrl(), superuser.user(), oldSuperuser))
                    .hasMessageContaining("password authentication failed");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(EmbeddedCredentials.applicationFile(data))))
                    .isEqualTo("rw-------");
            DriverManager.getConnection(db.config(1).jdbcUrl(), db.config(1).user(), db.config(1).password()).close();
        }
    }

    private static void assertRoleIsConfined(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT current_user, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles "
                + "WHERE rolname = current_user")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(EmbeddedDatabase.APPLICATION_ROLE);
            assertThat(rs.getBoolean(2)).as("superuser").isFalse();
            assertThat(rs.getBoolean(3)).as("bypasses row-level security").isFalse();
            assertThat(rs.getBoolean(4)).as("creates roles").isFalse();
            assertThat(rs.getBoolean(5)).as("creates databases").isFalse();
        }
        try (ResultSet rs = s.executeQuery("SELECT pg_has_role(current_user, '" + PracticeScope.ROLE + "', 'MEMBER')")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("may become the practice staff role").isTrue();
        }
    }
}
