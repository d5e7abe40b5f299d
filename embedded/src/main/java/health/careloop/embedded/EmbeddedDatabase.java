package health.careloop.embedded;

import health.careloop.common.config.ConfigException;
import health.careloop.common.config.DatabaseConfig;
import health.careloop.common.db.PracticeScope;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real PostgreSQL (zonky's binaries from Maven Central) under the data directory, for running CareLoop with no
 * database configured. It keeps its data between runs. No TimescaleDB in it, so it runs in plain PostgreSQL mode.
 *
 * <p>PostgreSQL runs as its own process and outlives a CareLoop that is killed (kill -9, OOM killer, power button of a
 * container): the next start would wait for it forever. So the directory is held with an OS file lock
 * ({@code postgres.lock} beside it, released by the kernel however the holder ends): whoever gets the lock knows no
 * CareLoop uses the directory, stops a PostgreSQL still running on it (fast shutdown: it rolls back what was open;
 * everything committed is on disk) and starts its own. A second CareLoop on the same directory is refused.
 *
 * <p>CareLoop does not connect as the superuser: that would bypass row-level security between practices and hand
 * the whole server to anything that injects SQL. Every connection needs a password ({@link PasswordAuthentication}:
 * no trust in {@code pg_hba.conf}); the superuser's, generated into the data directory, is used only here at start to
 * keep the application role {@value #APPLICATION_ROLE} (LOGIN, not superuser, no BYPASSRLS, member of the practice
 * staff role, owner of CareLoop's schemas) in shape, and {@link #config} connects as that role with its own generated
 * password. A directory from before (trust, everything owned by the superuser) is converted at its next start.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private static final Duration ORPHAN_STOP_BOUND = Duration.ofSeconds(30);
    static final String SUPERUSER = "postgres";
    /** The role CareLoop connects as; the same name the compose deployment and the README's external setup use. */
    public static final String APPLICATION_ROLE = "careloop";
    private static final String DATABASE = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path directory;
    private final FileChannel lock;
    private final EmbeddedCredentials credentials;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path directory, FileChannel lock, EmbeddedCredentials credentials) {
        this.postgres = postgres;
        this.directory = directory;
        this.lock = lock;
        this.credentials = credentials;
    }

    /** @param port 0 for any free port */
    public static EmbeddedDatabase start(Path directory, int port) {
        FileChannel lock = lock(directory);
        try {
            stopOrphan(directory);
            EmbeddedCredentials credentials = EmbeddedCredentials.loadOrCreate(directory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    // We stop it ourselves, last, after ingest has committed what it holds; zonky's own hook would
                    // stop it in parallel with our shutdown.
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "100")
                    // zonky starts PostgreSQL with fsync and synchronous_commit off (-F), fine for throwaway test
                    // databases but not for ours: ingest acknowledges a reading once its COMMIT returns, so the commit
                    // must be on disk by then.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    // Before the server starts: passwords required, the superuser's known to the cluster.
                    .setDataDirectoryCustomizer(dir -> PasswordAuthentication.require(dir, credentials))
                    // zonky's own readiness check connects as the superuser.
                    .setConnectConfig("password", credentials.superuserPassword());
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder.start();
            EmbeddedDatabase db = new EmbeddedDatabase(postgres, directory, lock, credentials);
            try {
                db.prepareApplicationRole();
            } catch (SQLException | RuntimeException e) {
                db.close();
                throw new ConfigException("Could not set up the application role of the embedded PostgreSQL in " + directory + ": "
                        + e.getMessage());
            }
            log.info("Started embedded PostgreSQL on 127.0.0.1:{} with data in {} (CareLoop connects as {}, passwords in {})",
                    postgres.getPort(), directory, APPLICATION_ROLE, directory.toAbsolutePath().getParent());
            return db;
        } catch (IllegalStateException e) {
            release(lock);
            throw new ConfigException("The embedded PostgreSQL data in " + directory + " is in use by another process"
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")") + "; stop the other CareLoop or set CARELOOP_DATA_DIR to another directory");
        } catch (IOException e) {
            release(lock);
            throw new ConfigException("Could not start the embedded PostgreSQL in " + directory + ": " + e.getMessage()
                    + (port > 0 ? " (is port " + port + " free? set CARELOOP_EMBEDDED_DB_PORT or CARELOOP_DB_URL)" : ""));
        } catch (UncheckedIOException e) {
            release(lock);
            throw new ConfigException("Could not start the embedded PostgreSQL in " + directory + ": " + e.getMessage());
        } catch (RuntimeException | Error e) {
            release(lock);
            throw e;
        }
    }

    /**
     * The application role as CareLoop needs it, made or mended at every start by the superuser: it logs in with its
     * password, is no superuser and cannot bypass row-level security, may create schemas in the database, may become
     * the practice staff role (PracticeScope), and owns every schema CareLoop made, including those a superuser made
     * before issue 14.
     */
    private void prepareApplicationRole() throws SQLException {
        try (Connection c = DriverManager.getConnection(url(), SUPERUSER, credentials.superuserPassword()); Statement s = c.createStatement()) {
            if (!exists(s, APPLICATION_ROLE)) {
                s.execute("CREATE ROLE " + APPLICATION_ROLE + " LOGIN");
            }
            s.execute("ALTER ROLE " + APPLICATION_ROLE + " LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION");
            // Hashed by the driver: the cleartext never reaches the server (nor its log, should the statement fail).
            c.unwrap(PGConnection.class).alterUserPassword(APPLICATION_ROLE, credentials.applicationPassword().toCharArray(), "scram-sha-256");
            if (!exists(s, PracticeScope.ROLE)) {
                s.execute("CREATE ROLE " + PracticeScope.ROLE + " NOLOGIN");
            }
            s.execute("GRANT " + PracticeScope.ROLE + " TO " + APPLICATION_ROLE);
            s.execute("GRANT CONNECT, CREATE, TEMPORARY ON DATABASE " + DATABASE + " TO " + APPLICATION_ROLE);
            s.execute(resource("/db/embedded-ownership.sql"));
        }
    }

    private static boolean exists(Statement s, String role) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'")) {
            return rs.next();
        }
    }

    private static String resource(String path) {
        try (var in = EmbeddedDatabase.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + path);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String url() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
    }

    /** The directory's lock, or a clear refusal when another live process holds it. */
    private static FileChannel lock(Path directory) {
        Path lockFile = directory.resolveSibling(directory.getFileName() + ".lock");
        try {
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held;
            try {
                held = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                held = null; // this JVM holds it already
            }
            if (held == null) {
                channel.close();
                throw new ConfigException("The embedded PostgreSQL data in " + directory + " is in use by another running CareLoop "
                        + "(it holds " + lockFile + "); stop it or set CARELOOP_DATA_DIR to another directory");
            }
            return channel;
        } catch (IOException e) {
            throw new ConfigException("Could not lock " + lockFile + ": " + e.getMessage());
        }
    }

    /**
     * With the lock held, a PostgreSQL still running on the directory was left by a CareLoop that ended without
     * stopping it. Stop it and wait; a {@code postmaster.pid} naming a process that is not PostgreSQL is stale.
     */
    private static void stopOrphan(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (RuntimeException e) {
            return; // unreadable: PostgreSQL judges its own lock file
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return; // stale; PostgreSQL replaces it
        }
        Optional<String> commandLine = process.get().info().commandLine();
        if (commandLine.isEmpty()) {
            throw new ConfigException("The embedded PostgreSQL in " + directory + " is locked by process " + pid
                    + " (postmaster.pid), which CareLoop cannot inspect; stop it, then start CareLoop again");
        }
        if (!commandLine.get().contains("postgres")) {
            log.warn("Removing a stale postmaster.pid in {}: its process {} is not PostgreSQL", directory, pid);
            Files.delete(pidFile);
            return;
        }
        if (!commandLine.get().contains(directory.toAbsolutePath().toString())) {
            throw new ConfigException("The embedded PostgreSQL in " + directory + " is locked by a PostgreSQL (pid " + pid
                    + ") that CareLoop cannot tell is running on it; stop it, then start CareLoop again");
        }
        log.warn("A PostgreSQL (pid {}) is still running on {}, left by a CareLoop that ended without stopping it; stopping it", pid, directory);
        ProcessHandle postmaster = process.get();
        postmaster.destroy(); // SIGTERM: its clients died with the old CareLoop, so it shuts down at once
        if (!waitForExit(postmaster, ORPHAN_STOP_BOUND)) {
            log.warn("PostgreSQL (pid {}) did not stop within {} s; killing it (it recovers from its WAL at the next start)",
                    pid, ORPHAN_STOP_BOUND.toSeconds());
            postmaster.destroyForcibly();
            if (!waitForExit(postmaster, Duration.ofSeconds(10))) {
                throw new ConfigException("The PostgreSQL left running on " + directory + " (pid " + pid + ") does not stop; stop it by hand");
            }
        }
    }

    private static boolean waitForExit(ProcessHandle process, Duration bound) {
        try {
            process.onExit().get(bound.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static void release(FileChannel lock) {
        try {
            lock.close();
        } catch (IOException ignored) {
            // the lock goes with the channel, or with the process
        }
    }

    /** How CareLoop connects: as the application role, never the superuser. */
    public DatabaseConfig config(int poolSize) {
        return new DatabaseConfig(url(), APPLICATION_ROLE, credentials.applicationPassword(), poolSize);
    }

    /** The superuser, for tests that create databases on this server; CareLoop itself never connects as it. */
    public DatabaseConfig superuserConfig() {
        return new DatabaseConfig(url(), SUPERUSER, credentials.superuserPassword(), 1);
    }

    public int port() {
        return postgres.getPort();
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            release(lock);
        }
    }

    /**
     * What a killed JVM leaves: its locks released by the kernel (ours and zonky's own in the data directory),
     * PostgreSQL still running. For the test that restarts after it.
     */
    void abandonForTests() throws ReflectiveOperationException, IOException {
        release(lock);
        var zonkyLock = EmbeddedPostgres.class.getDeclaredField("lock");
        var zonkyStream = EmbeddedPostgres.class.getDeclaredField("lockStream");
        zonkyLock.setAccessible(true);
        zonkyStream.setAccessible(true);
        ((FileLock) zonkyLock.get(postgres)).release();
        ((java.io.FileOutputStream) zonkyStream.get(postgres)).close();
    }
}
