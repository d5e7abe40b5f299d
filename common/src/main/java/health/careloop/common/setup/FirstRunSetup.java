package health.careloop.common.setup;

import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.auth.StaffMember;
import health.careloop.common.auth.StaffRole;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Practice;
import health.careloop.common.http.ApiException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;

/**
 * A fresh install's first practice and its first administrator, made together in one transaction, once: while no
 * staff account exists and no setup was done (core.first_run_setup). Two setups at the same moment queue on a lock and
 * the second finds the first done; the table's single-row key holds even without the lock. Blocking JDBC.
 */
public final class FirstRunSetup {
    /** What a setup made. */
    public record Done(Practice practice, StaffMember admin) {
    }

    private final DataSource dataSource;

    public FirstRunSetup(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** True until a setup was done or a staff account exists (an install set up with the API token needs none). */
    public boolean needed() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return needed(c);
        }
    }

    public Done run(String practiceName, ZoneId zone, String adminName, String adminEmail, String adminPassword, String clientAddress)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('careloop.first_run_setup'))")) {
                    ps.executeQuery().close();
                }
                if (!needed(c)) {
                    throw alreadyDone();
                }
                Practice practice = Directory.createPractice(c, practiceName, zone);
                StaffMember admin = StaffAccounts.create(c, practice.id(), adminEmail, adminName, StaffRole.ADMIN, null, adminPassword);
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO core.first_run_setup (practice_id, admin_id, client_address) VALUES (?, ?, ?)")) {
                    ps.setObject(1, practice.id());
                    ps.setObject(2, admin.id());
                    ps.setString(3, clientAddress == null ? null : clientAddress.substring(0, Math.min(100, clientAddress.length())));
                    ps.executeUpdate();
                }
                c.commit();
                return new Done(practice, admin);
            } catch (SQLException e) {
                c.rollback();
                if ("23505".equals(e.getSQLState())) {
                    // The single row's key: another setup committed first (possible only where the lock is not shared).
                    throw alreadyDone();
                }
                throw e;
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    static ApiException alreadyDone() {
        return new ApiException(409, "already_set_up", "CareLoop is already set up: its first practice and administrator exist, and setup "
                + "runs only once. Sign in, or ask an administrator of your practice for an account.");
    }

    private static boolean needed(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT NOT EXISTS (SELECT 1 FROM core.first_run_setup) AND NOT EXISTS (SELECT 1 FROM core.staff_user)");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
