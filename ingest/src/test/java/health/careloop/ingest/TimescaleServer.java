package health.careloop.ingest;

import health.careloop.common.config.DatabaseConfig;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real TimescaleDB for the storage tests: the official image through Testcontainers when a Docker engine exists,
 * otherwise the WASM TimescaleDB build in tools/timescale-wasm (DEPENDENCIES.md) started from the repository.
 * Neither available is a failure, never a skip: the TimescaleDB SQL must be checked somewhere.
 */
final class TimescaleServer implements AutoCloseable {
    static final String IMAGE = "timescale/timescaledb:2.23.0-pg17";

    private final DatabaseConfig config;
    private final AutoCloseable stop;
    private final String description;

    private TimescaleServer(DatabaseConfig config, AutoCloseable stop, String description) {
        this.config = config;
        this.stop = stop;
        this.description = description;
    }

    static TimescaleServer start() throws Exception {
        if (DockerClientFactory.instance().isDockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer(DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("postgres"));
            container.start();
            return new TimescaleServer(new DatabaseConfig(container.getJdbcUrl(), container.getUsername(), container.getPassword(), 4),
                    container::stop, "Testcontainers " + IMAGE);
        }
        System.err.println("No Docker engine: the TimescaleDB tests run against the WASM TimescaleDB build (tools/timescale-wasm)");
        Path tools = repositoryRoot().resolve("tools/timescale-wasm");
        ProcessBuilder builder = new ProcessBuilder("bash", tools.resolve("start.sh").toString(), "0").redirectError(ProcessBuilder.Redirect.INHERIT);
        // start.sh's own default is 60 s; start-up passed that on a loaded 2-core machine. Wait as long as below.
        builder.environment().put("TIMESCALE_WASM_START_TIMEOUT_S", "170");
        Process start = builder.start();
        String url = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!start.waitFor(180, TimeUnit.SECONDS) || start.exitValue() != 0 || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("Could not start the WASM TimescaleDB (tools/timescale-wasm/start.sh printed '" + url
                    + "'); it needs Node.js 20+ and npm");
        }
        // One connection at a time: the WASM server has a single session.
        return new TimescaleServer(new DatabaseConfig(url, "postgres", "postgres", 1), () -> {
            Process stop = new ProcessBuilder("bash", tools.resolve("stop.sh").toString()).inheritIO().start();
            stop.waitFor(30, TimeUnit.SECONDS);
        }, "WASM TimescaleDB " + url);
    }

    DatabaseConfig config() {
        return config;
    }

    String description() {
        return description;
    }


    private static Path repositoryRoot() throws IOException {
        File dir = new File(System.getProperty("user.dir")).getCanonicalFile();
        while (dir != null && !new File(dir, "tools/timescale-wasm/start.sh").exists()) {
            dir = dir.getParentFile();
        }
        if (dir == null) {
            throw new IllegalStateException("tools/timescale-wasm not found above " + System.getProperty("user.dir"));
        }
        return dir.toPath();
    }

    @Override
    public void close() throws Exception {
        stop.close();
    }
}
