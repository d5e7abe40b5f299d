package health.careloop.common.embedded;

import health.careloop.common.config.ConfigException;
import health.careloop.common.config.DatabaseConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real PostgreSQL (zonky's binaries from Maven Central) under the data directory, for running CareLoop with no
 * database configured. It keeps its data between runs. No TimescaleDB in it, so it runs in plain PostgreSQL mode.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;
    private final Path directory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path directory) {
        this.postgres = postgres;
        this.directory = directory;
    }

    /** @param port 0 for any free port */
    public static EmbeddedDatabase start(Path directory, int port) {
        try {
            Files.createDirectories(directory);
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
            EmbeddedDatabase db = new EmbeddedDatabase(postgres, directory);
            log.info("Started embedded PostgreSQL on 127.0.0.1:{} with data in {}", postgres.getPort(), directory);
            return db;
        } catch (IllegalStateException e) {
            throw new ConfigException("The embedded PostgreSQL data in " + directory + " is in use by another process ("
                    + e.getMessage() + "); stop the other CareLoop or set CARELOOP_DATA_DIR to another directory");
        } catch (IOException e) {
            throw new ConfigException("Could not start the embedded PostgreSQL in " + directory + ": " + e.getMessage()
                    + (port > 0 ? " (is port " + port + " free? set CARELOOP_EMBEDDED_DB_PORT or CARELOOP_DB_URL)" : ""));
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
        }
    }
}
