package health.careloop.bench;

import health.careloop.common.config.DatabaseConfig;
import health.careloop.ingest.storage.PartitionRewrite;
import health.careloop.ingest.storage.StorageMaintenance;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh database on the machine's PostgreSQL (127.0.0.1:5432, user postgres, as the tests use), dropped at the end.
 * Durability as deployed: the server's fsync and synchronous_commit are left as they are (both on here).
 */
final class BenchDatabase implements AutoCloseable {
    static final String ADMIN_URL = System.getProperty("careloop.bench.postgresUrl", "jdbc:postgresql://127.0.0.1:5432/postgres");
    static final String USER = System.getProperty("careloop.bench.postgresUser", "postgres");

    private final String name;
    private final String url;
    private boolean dropped;

    private BenchDatabase(String name) {
        this.name = name;
        this.url = ADMIN_URL.replaceFirst("/postgres($|\\?)", "/" + name + "$1");
    }

    static BenchDatabase create() throws SQLException {
        String name = "careloop_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        BenchDatabase db = new BenchDatabase(name);
        // Also when the run is interrupted (Ctrl-C, timeout): no benchmark database is left behind.
        Runtime.getRuntime().addShutdownHook(new Thread(db::close));
        return db;
    }

    DatabaseConfig config(int poolSize) {
        return new DatabaseConfig(url, USER, "", poolSize);
    }

    String url() {
        return url;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, USER, "");
    }

    long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Rewrites closed months in patient order the way storage maintenance does (ingest's PartitionRewrite, months that
     * ended at least a week ago, newest first), here up to {@code maxMonths} in one call; says what it rewrote, with its
     * time and sizes.
     */
    String clusterClosedMonths(int maxMonths) throws SQLException {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setUser(USER);
        long c0 = System.nanoTime();
        long months = new PartitionRewrite(dataSource).rewriteClosed(Instant.now().minus(StorageMaintenance.CLUSTER_AFTER_CLOSE), maxMonths);
        double seconds = (System.nanoTime() - c0) / 1e9;
        return String.format("%d closed month(s) rewritten in patient order in %.0f s (%s)", months, seconds,
                text("SELECT string_agg(partition_name || ' ' || seconds || ' s, ' || pg_size_pretty(bytes_before) || ' → '"
                        + " || pg_size_pretty(bytes_after), '; ' ORDER BY partition_name) FROM ingest.reading_partition_clustered"
                        + " WHERE bytes_before > 1048576") + "; the others empty");
    }

    /** Milliseconds to run a prepared query and read every row: the bare-SQL reference of the latency benchmarks. */
    static double timedReadMillis(PreparedStatement query) throws SQLException {
        long t0 = System.nanoTime();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                rs.getObject(1);
            }
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /** The first column of the first row as text (null when there is none). */
    String text(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    void execute(String... sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    /** Process ids of the server backends connected to this database (their CPU is PostgreSQL's share of the work). */
    List<Long> backendPids() throws SQLException {
        List<Long> pids = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            while (rs.next()) {
                pids.add(rs.getLong(1));
            }
        }
        return pids;
    }

    @Override
    public synchronized void close() {
        if (dropped) {
            return;
        }
        dropped = true;
        try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("Could not drop " + name + ": " + e.getMessage());
        }
    }
}
