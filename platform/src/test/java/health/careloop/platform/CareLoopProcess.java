package health.careloop.platform;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * CareLoop as its own JVM (the test's class path, `health.careloop.platform.CareLoop`), for tests that stop it the
 * way an operator or a crash would: SIGTERM, SIGKILL. Its output goes to a log file the test can read.
 */
final class CareLoopProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final int httpPort;
    private final int metricsPort;
    private final Path log;

    private CareLoopProcess(Process process, int httpPort, int metricsPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.metricsPort = metricsPort;
        this.log = log;
    }

    /** Starts with exactly these CARELOOP_* settings (the test's own environment's are removed) and waits for /ready. */
    static CareLoopProcess start(Map<String, String> settings, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "health.careloop.platform.CareLoop");
        pb.environment().keySet().removeIf(k -> k.startsWith("CARELOOP_"));
        pb.environment().putAll(settings);
        // Each process its own metrics listener (several run side by side, and other test JVMs on the machine too).
        int metricsPort = settings.containsKey("CARELOOP_METRICS_PORT") ? Integer.parseInt(settings.get("CARELOOP_METRICS_PORT"))
                : EmbeddedPlatforms.freePort();
        pb.environment().put("CARELOOP_METRICS_PORT", Integer.toString(metricsPort));
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        int port = Integer.parseInt(settings.get("CARELOOP_HTTP_PORT"));
        CareLoopProcess started = new CareLoopProcess(pb.start(), port, metricsPort, log);
        try {
            started.awaitReady();
        } catch (RuntimeException | Error e) {
            started.close(); // a process that never became ready is nobody's to stop otherwise
            throw e;
        }
        return started;
    }

    private void awaitReady() {
        try {
            awaitReadyWithin(Duration.ofSeconds(90));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("CareLoop was not ready within 90 s; its log:\n" + log(), e);
        }
    }

    private void awaitReadyWithin(Duration bound) {
        await().atMost(bound).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("CareLoop exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    int httpPort() {
        return httpPort;
    }

    int metricsPort() {
        return metricsPort;
    }

    /** SIGKILL: no shutdown hook, no drain; what was not committed and acknowledged is the broker's and the database's. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM and the exit code. */
    int terminate(Duration within) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("CareLoop did not exit within " + within + ":\n" + log());
        }
        return process.exitValue();
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
