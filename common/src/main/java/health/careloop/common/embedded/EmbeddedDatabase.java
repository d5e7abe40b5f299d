package health.careloop.common.embedded;

import health.careloop.common.config.ConfigException;
import health.careloop.common.config.DatabaseConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private static final Duration ORPHAN_STOP_BOUND = Duration.ofSeconds(30);

    private final EmbeddedPostgres postgres;
    private final Path directory;
    private final FileChannel lock;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path directory, FileChannel lock) {
        this.postgres = postgres;
        this.directory = directory;
        this.lock = lock;
    }

    /** @param port 0 for any free port */
    public static EmbeddedDatabase start(Path directory, int port) {
        FileChannel lock = lock(directory);
        try {
            stopOrphan(directory);
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
                    .setServerConfig("listen_addresses", "127.0.0.1");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder.start();
            EmbeddedDatabase db = new EmbeddedDatabase(postgres, directory, lock);
            log.info("Started embedded PostgreSQL on 127.0.0.1:{} with data in {}", postgres.getPort(), directory);
            return db;
        } catch (IllegalStateException e) {
            release(lock);
            throw new ConfigException("The embedded PostgreSQL data in " + directory + " is in use by another process"
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")") + "; stop the other CareLoop or set CARELOOP_DATA_DIR to another directory");
        } catch (IOException e) {
            release(lock);
            throw new ConfigException("Could not start the embedded PostgreSQL in " + directory + ": " + e.getMessage()
                    + (port > 0 ? " (is port " + port + " free? set CARELOOP_EMBEDDED_DB_PORT or CARELOOP_DB_URL)" : ""));
        } catch (RuntimeException | Error e) {
            release(lock);
            throw e;
        }
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

    public DatabaseConfig config(int poolSize) {
        return new DatabaseConfig(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", poolSize);
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
