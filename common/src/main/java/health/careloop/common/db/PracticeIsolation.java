package health.careloop.common.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * Row-level security between practices, applied after every tier has migrated (and again at each start, so a table a
 * later migration adds is covered without anyone remembering to): every table of CareLoop's schemas with a
 * {@code practice_id} gets a policy that lets the practice staff role see and write only rows of
 * {@code careloop.practice_id}; the few tables without one get a policy through their parent row, or none at all, which
 * for that role means no rows. Owners and the process's own role are not affected (they are not that role).
 */
public final class PracticeIsolation {
    private static final Logger log = LoggerFactory.getLogger(PracticeIsolation.class);

    private PracticeIsolation() {
    }

    public static void apply(DataSource dataSource) {
        String sql = resource("/db/practice-isolation.sql");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
            for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                log.warn("Practice isolation: {}", w.getMessage());
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
            warnIfAboveTheFence(s);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot set up row-level security between practices: " + e.getMessage()
                    + ". The database user needs the right to create a role (CREATEROLE) or the role " + PracticeScope.ROLE
                    + " must exist and be granted to it.", e);
        }
        log.info("Row-level security between practices is on (staff requests run as {})", PracticeScope.ROLE);
    }

    /**
     * Staff requests are confined whatever CareLoop's own role is (they switch to the staff role), but a superuser or a
     * role with BYPASSRLS makes everything else unconfined and turns any SQL injection into the whole server.
     */
    private static void warnIfAboveTheFence(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")) {
            if (rs.next() && (rs.getBoolean(2) || rs.getBoolean(3))) {
                log.warn("CareLoop connects to PostgreSQL as {}, a {}: connect as a role without either (README, \"Database roles\")",
                        rs.getString(1), rs.getBoolean(2) ? "superuser" : "role that bypasses row-level security");
            }
        }
    }

    private static String resource(String path) {
        try (InputStream in = PracticeIsolation.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
