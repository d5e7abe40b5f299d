package health.careloop.ingest;

import health.careloop.common.config.DatabaseConfig;
import health.careloop.testing.WasmTimescale;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

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
        WasmTimescale wasm = WasmTimescale.start();
        return new TimescaleServer(wasm.config(), wasm, "WASM TimescaleDB " + wasm.url());
    }

    DatabaseConfig config() {
        return config;
    }

    String description() {
        return description;
    }

    @Override
    public void close() throws Exception {
        stop.close();
    }
}
