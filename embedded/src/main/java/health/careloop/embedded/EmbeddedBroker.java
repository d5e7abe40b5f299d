package health.careloop.embedded;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import health.careloop.common.config.ConfigException;
import health.careloop.common.config.MqttConfig;
import health.careloop.common.config.TlsKeystore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

/**
 * HiveMQ Community Edition in this JVM: a real MQTT 3.1.1/5 broker with QoS 1, persistent sessions and shared
 * subscriptions, listening on 127.0.0.1 only. Used when no CARELOOP_MQTT_URL is configured.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

    /** Per subscriber session: many days of a large practice's readings, bounded so the disk cannot fill. */
    public static final long MAX_QUEUED_MESSAGES = 10_000_000;

    /**
     * Unacknowledged messages the broker lends one subscriber. HiveMQ CE's own is 50, an internal constant that its
     * config.xml does not reach; ingest acknowledges after its batch commits, so with 50 a backlog drained in batches
     * of 50, one commit each (BENCHMARKS.md 1, issue 19). 1,000 is Mosquitto's window in the shipped configuration and
     * lets ingest's batches grow while a backlog waits; ingest still bounds what it holds (CARELOOP_INGEST_MAX_IN_FLIGHT).
     */
    public static final int SUBSCRIBER_INFLIGHT_WINDOW = 1000;

    private final EmbeddedHiveMQ hivemq;
    private final int port;
    private final int tlsPort;
    private final BrokerAccounts accounts;

    private EmbeddedBroker(EmbeddedHiveMQ hivemq, int port, int tlsPort, BrokerAccounts accounts) {
        this.hivemq = hivemq;
        this.port = port;
        this.tlsPort = tlsPort;
        this.accounts = accounts;
    }

    /** Open to anonymous clients: for tests and benchmarks that are not about device identity. */
    public static EmbeddedBroker start(Path directory, int port, boolean persistent) {
        return start(directory, port, persistent, null, null);
    }

    /**
     * A TLS listener for devices on the network, beside the plain one on 127.0.0.1.
     *
     * @param port 0 for any free port
     */
    public record TlsListener(int port, TlsKeystore keystore) {
    }

    /**
     * @param port       0 for any free port
     * @param persistent keep sessions and queued messages on disk under {@code directory} (off for tests)
     * @param accounts   who may connect and publish where; null lets anyone connect and publish anywhere
     * @param tls        a TLS listener on all interfaces as well, or null
     */
    public static EmbeddedBroker start(Path directory, int port, boolean persistent, BrokerAccounts accounts, TlsListener tls) {
        int chosen = port == 0 ? freePort() : requireFree(port);
        TlsListener tlsChosen = tls == null ? null : new TlsListener(tls.port() == 0 ? freePort() : requireFree(tls.port()), tls.keystore());
        try {
            Path conf = Files.createDirectories(directory.resolve("conf"));
            Files.createDirectories(directory.resolve("extensions"));
            Path data = Files.createDirectories(directory.resolve("data"));
            Files.writeString(conf.resolve("config.xml"), configXml(chosen, persistent, tlsChosen), StandardCharsets.UTF_8);
            var builder = EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(conf)
                    .withDataFolder(data)
                    .withExtensionsFolder(directory.resolve("extensions"))
                    .withoutLoggingBootstrap();
            if (accounts != null) {
                builder.withEmbeddedExtension(EmbeddedExtension.builder().withId("careloop-accounts").withName("CareLoop broker accounts")
                        .withVersion("1").withAuthor("CareLoop").withPriority(1000).withStartPriority(1000)
                        .withExtensionMain(accounts).build());
            }
            // JVM-wide and read when a subscriber is served; one embedded broker per process.
            InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES = SUBSCRIBER_INFLIGHT_WINDOW;
            EmbeddedHiveMQ hivemq = builder.build();
            hivemq.start().get();
            log.info("Started embedded MQTT broker (HiveMQ CE) on tcp://127.0.0.1:{}{}, {} sessions, {}", chosen,
                    tlsChosen == null ? "" : " and ssl://0.0.0.0:" + tlsChosen.port(),
                    persistent ? "persistent (" + data + ")" : "in-memory",
                    accounts == null ? "open to anonymous clients" : "devices sign in with their own credentials");
            return new EmbeddedBroker(hivemq, chosen, tlsChosen == null ? 0 : tlsChosen.port(), accounts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ExecutionException e) {
            throw new ConfigException("The embedded MQTT broker could not start on port " + chosen + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the embedded MQTT broker", e);
        }
    }

    public int port() {
        return port;
    }

    /** The TLS listener's port, 0 when there is none. */
    public int tlsPort() {
        return tlsPort;
    }

    /** Messages the broker discarded (a full queue); should stay 0. Exposed in /metrics by the launcher. */
    public long droppedMessages() {
        var counter = hivemq.getMetricRegistry().getCounters().get("com.hivemq.messages.dropped.count");
        return counter == null ? 0 : counter.getCount();
    }

    /** How this process's ingest reaches the broker (with the ingest account when devices must sign in). */
    public MqttConfig config() {
        return accounts == null ? new MqttConfig("127.0.0.1", port, null, null)
                : new MqttConfig("127.0.0.1", port, BrokerAccounts.INGEST, accounts.ingestPassword());
    }

    @Override
    public void close() {
        try {
            hivemq.stop().get();
            hivemq.close();
        } catch (ExecutionException e) {
            throw new IllegalStateException("The embedded MQTT broker did not stop cleanly", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String configXml(int port, boolean persistent, TlsListener tls) {
        String tlsListener = tls == null ? "" : """
                        <tls-tcp-listener>
                            <port>%d</port>
                            <bind-address>0.0.0.0</bind-address>
                            <tls>
                                <keystore>
                                    <path>%s</path>
                                    <password>%s</password>
                                    <private-key-password>%s</private-key-password>
                                </keystore>
                            </tls>
                        </tls-tcp-listener>
                """.formatted(tls.port(), xml(tls.keystore().path().toString()), xml(tls.keystore().password()), xml(tls.keystore().password()));
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>127.0.0.1</bind-address>
                        </tcp-listener>
                %s    </listeners>
                    <mqtt>
                        <!-- A retained reading would be handed to every new subscriber again and again; devices
                             must not leave messages on the broker (a client that publishes one is disconnected). -->
                        <retained-messages>
                            <enabled>false</enabled>
                        </retained-messages>
                        <packets>
                            <max-packet-size>1048576</max-packet-size>
                        </packets>
                        <queued-messages>
                            <!-- HiveMQ's default (1000) discards what a slow or absent subscriber has not taken yet,
                                 after acknowledging it to the device. Ingest's backlog must survive an outage. -->
                            <max-queue-size>%d</max-queue-size>
                            <strategy>discard</strategy>
                        </queued-messages>
                    </mqtt>
                    <persistence>
                        <mode>%s</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, tlsListener, MAX_QUEUED_MESSAGES, persistent ? "file" : "in-memory");
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&apos;");
    }

    private static int requireFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return port;
        } catch (IOException e) {
            throw new ConfigException("Port " + port + " on 127.0.0.1 is already in use (another MQTT broker, such as Mosquitto?). "
                    + "Set CARELOOP_EMBEDDED_MQTT_PORT to a free port, or CARELOOP_MQTT_URL to use that broker.");
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
