package health.careloop.billing.ledger;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.UUID;

/**
 * Closed months and the lock that keeps a close and a ledger write of the same practice and month apart: writers take
 * it shared, the close takes it exclusive (a transaction-scoped advisory lock, so it cannot leak past a commit).
 */
public final class BillingMonths {
    private BillingMonths() {
    }

    public static void lockShared(Connection c, UUID practiceId, YearMonth month) throws SQLException {
        lock(c, "SELECT pg_advisory_xact_lock_shared(hashtext(?))", practiceId, month);
    }

    public static void lockExclusive(Connection c, UUID practiceId, YearMonth month) throws SQLException {
        lock(c, "SELECT pg_advisory_xact_lock(hashtext(?))", practiceId, month);
    }

    public static boolean isClosed(Connection c, UUID practiceId, YearMonth month) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM billing.month_close WHERE practice_id = ? AND month = ?")) {
            ps.setObject(1, practiceId);
            ps.setDate(2, Date.valueOf(month.atDay(1)));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void lock(Connection c, String sql, UUID practiceId, YearMonth month) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, "billing-month:" + practiceId + ":" + month);
            ps.executeQuery().close();
        }
    }
}
