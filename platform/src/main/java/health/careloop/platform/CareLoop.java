package health.careloop.platform;

import health.careloop.common.config.CareLoopConfig;
import health.careloop.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Entry point: read the configuration from the environment, start what it asks for, stop cleanly on SIGTERM. */
public final class CareLoop {
    private CareLoop() {
    }

    public static void main(String[] args) {
        // Our configuration, not the logback.xml that HiveMQ's jar also carries; set before the first logger exists.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "careloop-logback.xml");
        }
        Logger log = LoggerFactory.getLogger(CareLoop.class);
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        Platform platform;
        try {
            platform = Platform.start(CareLoopConfig.fromEnvironment());
        } catch (ConfigException e) {
            log.error("CareLoop cannot start: {}", e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            log.error("CareLoop failed to start", e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Shutting down");
            platform.close();
        }, "careloop-shutdown"));
    }
}
