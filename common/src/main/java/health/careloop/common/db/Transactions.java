package health.careloop.common.db;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** One unit of work on one connection, committed when it returns and rolled back when it throws. */
public final class Transactions {
    /** The work: what it returns is returned after the commit. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Transactions() {
    }

    public static <T> T inTransaction(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
