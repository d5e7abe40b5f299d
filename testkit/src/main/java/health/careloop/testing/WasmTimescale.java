package health.careloop.testing;

import health.careloop.common.config.DatabaseConfig;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The WASM TimescaleDB of tools/timescale-wasm (PostgreSQL 17.5 + TimescaleDB 2.23 in Node.js: what ingest's
 * TimescaleDB tests use without Docker, and the storage benchmark), started with its own start.sh on a free 127.0.0.1
 * port and stopped with its stop.sh, also when the run is interrupted. It has one session: a pool of one connection.
 */
public final class WasmTimescale implements AutoCloseable {
    private final Path tools;
    private final String url;
    private boolean stopped;

    private WasmTimescale(Path tools, String url) {
        this.tools = tools;
        this.url = url;
    }

    public static WasmTimescale start() throws IOException, InterruptedException {
        Path tools = repositoryRoot().resolve("tools/timescale-wasm");
        ProcessBuilder builder = new ProcessBuilder("bash", tools.resolve("start.sh").toString(), "0").redirectError(ProcessBuilder.Redirect.INHERIT);
        // start.sh gives up after 60 s by default; on this shared machine under load start-up alone took 45-60 s.
        builder.environment().put("TIMESCALE_WASM_START_TIMEOUT_S", "170");
        Process start = builder.start();
        String url = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!start.waitFor(180, TimeUnit.SECONDS) || start.exitValue() != 0 || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("Could not start the WASM TimescaleDB (tools/timescale-wasm/start.sh printed '" + url
                    + "'); it needs Node.js 20+ and npm");
        }
        WasmTimescale server = new WasmTimescale(tools, url);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        return server;
    }

    public DatabaseConfig config() {
        return new DatabaseConfig(url, "postgres", "postgres", 1);
    }

    public String url() {
        return url;
    }

    /** Resident memory of the Node.js process holding the database, in MB; -1 when unknown. */
    public long residentMegabytes() {
        try {
            String pid = Files.readString(tools.resolve("server.pid")).trim();
            return Files.readAllLines(Path.of("/proc", pid, "status")).stream().filter(l -> l.startsWith("VmRSS"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).findFirst().orElse(-1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            Process stop = new ProcessBuilder("bash", tools.resolve("stop.sh").toString()).inheritIO().start();
            stop.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("Could not stop the WASM TimescaleDB: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
}
