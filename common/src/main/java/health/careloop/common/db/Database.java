package health.careloop.common.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import health.careloop.common.config.DatabaseConfig;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/** The connection pool every tier shares in one process. */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    private final DataSource dataSource;
    private final String description;

    private Database(HikariDataSource pool, String description) {
        this.pool = pool;
        this.dataSource = new PracticeScopedDataSource(pool);
        this.description = description;
    }

    public static Database connect(DatabaseConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("careloop");
        hikari.setJdbcUrl(config.jdbcUrl());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(Math.min(2, config.poolSize()));
        hikari.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
        // Fail fast at start-up on a wrong URL or password, instead of on the first reading.
        hikari.setInitializationFailTimeout(Duration.ofSeconds(30).toMillis());
        hikari.addDataSourceProperty("ApplicationName", "careloop");
        // Without this a dead server can hold a JDBC call for minutes; ingest must notice and stop acknowledging.
        hikari.addDataSourceProperty("socketTimeout", "60");
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        return new Database(new HikariDataSource(hikari), config.toString());
    }

    /** The pool; inside a {@link PracticeScope} its connections see one practice only. */
    public DataSource dataSource() {
        return dataSource;
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** True when a connection can be had and answers; used by /ready. */
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        pool.close();
    }
}
