package health.careloop.common.db;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The pool as the tiers see it: a plain pooled connection for the process's own work, and inside a
 * {@link PracticeScope} a connection switched to the practice staff role and practice (one round trip) and switched
 * back when it is closed. A connection that cannot be switched back is evicted from the pool rather than reused.
 */
final class PracticeScopedDataSource implements DataSource {
    private static final org.slf4j.Logger log = LoggerFactory.getLogger(PracticeScopedDataSource.class);

    private final HikariDataSource pool;

    PracticeScopedDataSource(HikariDataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return scoped(pool.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return scoped(pool.getConnection(username, password));
    }

    private Connection scoped(Connection connection) throws SQLException {
        UUID practice = PracticeScope.current();
        if (practice == null) {
            return connection;
        }
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT set_config('careloop.practice_id', ?, false), set_config('role', '" + PracticeScope.ROLE + "', false)")) {
            ps.setString(1, practice.toString());
            ps.execute();
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            pool.evictConnection(connection);
            throw e;
        }
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[]{Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        release(connection);
                        return null;
                    }
                    if (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
                        return method.invoke(connection, args);
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Back to the process's own role before the pool hands the connection to anyone else. */
    private void release(Connection connection) throws SQLException {
        if (connection.isClosed()) {
            return;
        }
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            try (Statement s = connection.createStatement()) {
                s.execute("RESET ROLE; RESET careloop.practice_id");
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            log.warn("A practice-scoped connection could not be reset and is evicted: {}", e.getSQLState());
            pool.evictConnection(connection);
        }
        connection.close();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(pool) ? iface.cast(pool) : pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(pool) || pool.isWrapperFor(iface);
    }
}
