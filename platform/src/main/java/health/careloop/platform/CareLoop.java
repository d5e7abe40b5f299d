package health.careloop.platform;

import health.careloop.common.db.DatabaseErrors;
import health.careloop.platform.config.CareLoopConfig;
import health.careloop.platform.config.ConfigFile;
import health.careloop.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.time.Duration;
import java.util.Set;

/**
 * Entry point: read the configuration from the environment (and the YAML file CARELOOP_CONFIG_FILE names), start what
 * it asks for, stop cleanly on SIGTERM.
 */
public final class CareLoop {
    /** Longest a SIGTERM-initiated shutdown may take; orchestrators usually kill after 30 s (docker: 10 s by default). */
    static final Duration SHUTDOWN_BOUND = Duration.ofSeconds(20);
    private static final Set<String> LOG_FORMATS = Set.of("text", "json");

    private CareLoop() {
    }

    public static void main(String[] args) {
        ConfigFile.Sources sources;
        try {
            sources = ConfigFile.merge(System.getenv());
        } catch (ConfigException e) {
            System.err.println("CareLoop cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        // Our configuration, not the logback.xml that HiveMQ's jar also carries; set before the first logger exists.
        String logFormat = sources.values().getOrDefault("CARELOOP_LOG_FORMAT", "text");
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", logbackConfiguration(logFormat));
        }
        Logger log = LoggerFactory.getLogger(CareLoop.class);
        if (!LOG_FORMATS.contains(logFormat)) {
            log.error("CareLoop cannot start: CARELOOP_LOG_FORMAT must be one of text, json, got '{}'", logFormat);
            System.exit(2);
            return;
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        Platform platform;
        try {
            if (sources.file() != null) {
                log.info("Settings from {} ({} of them), the environment overriding it", sources.file(), sources.fromFile().size());
            }
            platform = Platform.start(CareLoopConfig.from(sources));
        } catch (ConfigException e) {
            log.error("CareLoop cannot start: {}", e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            log.error("CareLoop failed to start", DatabaseErrors.loggable(e));
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutDown(platform, log), "careloop-shutdown"));
    }

    /**
     * SIGTERM (docker stop, systemd, Kubernetes): close the platform in order (ingest drains first), at most
     * {@link #SHUTDOWN_BOUND}. A clean stop exits 0 rather than the JVM's 143, so a supervisor can tell a drained stop
     * from one cut short (exit 1: the bound was exceeded or closing failed; the broker redelivers what was not acked).
     */
    private static void shutDown(Platform platform, Logger log) {
        log.info("Shutting down (at most {} s)", SHUTDOWN_BOUND.toSeconds());
        long started = System.nanoTime();
        Thread closer = new Thread(platform::close, "careloop-close");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(SHUTDOWN_BOUND.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        if (closer.isAlive()) {
            log.error("Shutdown exceeded {} s; exiting without finishing it", SHUTDOWN_BOUND.toSeconds());
            Runtime.getRuntime().halt(1);
        }
        log.info("CareLoop stopped in {} ms", tookMs);
        Runtime.getRuntime().halt(0);
    }

    /** The logback configuration for CARELOOP_LOG_FORMAT (text by default; json: one JSON object a line). */
    static String logbackConfiguration(String format) {
        return "json".equals(format) ? "careloop-logback-json.xml" : "careloop-logback.xml";
    }
}
