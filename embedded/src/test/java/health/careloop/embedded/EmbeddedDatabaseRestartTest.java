package health.careloop.embedded;

import health.careloop.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded PostgreSQL after its CareLoop died without stopping it (kill -9 leaves PostgreSQL running with the data
 * directory): the next start stops the orphan and comes up on the same data, and a second CareLoop on a directory in
 * use is refused with a message instead of waiting a minute for nothing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedDatabaseRestartTest {
    @TempDir
    Path dir;

    @Test
    void startsAfterItsPredecessorDiedAndLeftPostgresRunning() throws Exception {
        Path data = dir.resolve("postgres");
        EmbeddedDatabase first = EmbeddedDatabase.start(data, 0);
        long orphanPid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        execute(first, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)");
        first.abandonForTests(); // the JVM is gone: its lock released, its PostgreSQL still running

        assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive)).contains(true);
        try (EmbeddedDatabase second = EmbeddedDatabase.start(data, 0)) {
            assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false)).as("the orphan was stopped").isFalse();
            try (Connection c = DriverManager.getConnection(second.superuserConfig().jdbcUrl(), "postgres", second.superuserConfig().password());
                 Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT v FROM kept")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getInt(1)).as("committed data survives").isEqualTo(42);
            }
        }
    }

    @Test
    void refusesADirectoryThatALiveCareLoopUses() {
        Path data = dir.resolve("postgres");
        try (EmbeddedDatabase running = EmbeddedDatabase.start(data, 0)) {
            assertThatThrownBy(() -> EmbeddedDatabase.start(data, 0))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("in use by another running CareLoop");
            assertThat(running.port()).isPositive();
        }
    }

    @Test
    void aStalePidFileOfAnotherProgramIsNoObstacle() throws Exception {
        Path data = dir.resolve("postgres");
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data, 0)) {
            assertThat(db.port()).isPositive();
        }
        // After a reboot the pid in postmaster.pid may belong to anything: here, this test's own JVM.
        Files.writeString(data.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + data + "\n");
        try (EmbeddedDatabase again = EmbeddedDatabase.start(data, 0)) {
            assertThat(again.port()).isPositive();
        }
    }

    private static void execute(EmbeddedDatabase db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db.superuserConfig().jdbcUrl(), "postgres", db.superuserConfig().password()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
