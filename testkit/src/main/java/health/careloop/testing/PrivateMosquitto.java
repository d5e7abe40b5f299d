package health.careloop.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A Mosquitto of the test's own with the queue settings CareLoop ships in deploy/mosquitto/mosquitto.conf (the
 * machine's broker on 1883 keeps Mosquitto's defaults: 1000 queued messages per session, after which it drops).
 * Anonymous, no persistence. The image compose pins, through Testcontainers, when a Docker engine answers; otherwise
 * the machine's binary (Debian's mosquitto) on a free 127.0.0.1 port. Neither is a failure, never a skip.
 *
 * <p>The benchmarks take {@link #machineBinary(int)}: always the binary (they measure its CPU), with a queue of their
 * own size.
 */
public final class PrivateMosquitto implements AutoCloseable {
    public static final String BINARY = "/usr/sbin/mosquitto";
    /** As docker-compose.yml. */
    public static final String IMAGE = "eclipse-mosquitto:2.0.20";
    /** As deploy/mosquitto/mosquitto.conf; below 65,535 because Debian's 2.0.11 breaks above it. */
    public static final int SHIPPED_MAX_QUEUED_MESSAGES = 60_000;

    private final AutoCloseable stop;
    private final String url;
    private final OptionalLong pid;

    private PrivateMosquitto(AutoCloseable stop, String url, OptionalLong pid) {
        this.stop = stop;
        this.url = url;
        this.pid = pid;
    }

    public static PrivateMosquitto start() throws IOException, InterruptedException {
        if (DockerClientFactory.instance().isDockerAvailable()) {
            return container();
        }
        System.err.println("No Docker engine: the broker tests run against the machine's Mosquitto binary (" + BINARY + ")");
        return machineBinary(SHIPPED_MAX_QUEUED_MESSAGES);
    }

    private static PrivateMosquitto container() throws IOException {
        Path conf = Files.createTempFile("careloop-mosquitto", ".conf");
        Files.write(conf, settings("listener 1883 0.0.0.0", SHIPPED_MAX_QUEUED_MESSAGES, "log_dest stdout"));
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(IMAGE))
                .withCopyFileToContainer(MountableFile.forHostPath(conf), "/mosquitto/config/mosquitto.conf")
                .withExposedPorts(1883);
        container.start();
        return new PrivateMosquitto(container::stop, "tcp://" + container.getHost() + ":" + container.getMappedPort(1883), OptionalLong.empty());
    }

    /** The shipped settings (deploy/mosquitto/mosquitto.conf) around the listener, queue bound and logging lines given. */
    private static List<String> settings(String listener, int maxQueuedMessages, String... logging) {
        List<String> conf = new ArrayList<>(List.of(
                listener,
                "allow_anonymous true",
                "persistence false",
                "max_queued_messages " + maxQueuedMessages,
                "max_queued_bytes 0",
                "max_inflight_messages 1000",
                "log_type error",
                "log_type warning"));
        conf.addAll(List.of(logging));
        return conf;
    }

    /** The machine's binary, never a container, queueing up to {@code maxQueuedMessages} per session. */
    public static PrivateMosquitto machineBinary(int maxQueuedMessages) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's mosquitto package (scripts/test.sh expects it)");
        }
        Path dir = Files.createTempDirectory("careloop-mosquitto");
        int port = FreePort.loopback();
        Files.write(dir.resolve("mosquitto.conf"), settings("listener " + port + " 127.0.0.1", maxQueuedMessages,
                "log_dest file " + dir.resolve("mosquitto.log")));
        Process process = new ProcessBuilder(BINARY, "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        PrivateMosquitto broker = new PrivateMosquitto(() -> stop(process), "tcp://127.0.0.1:" + port, OptionalLong.of(process.pid()));
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Mosquitto exited with " + process.exitValue() + "; see " + dir);
            }
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return broker;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        stop(process);
        throw new IOException("Mosquitto did not listen on " + port + " within 10 s; see " + dir);
    }

    public String url() {
        return url;
    }

    /** The broker's process id when it runs from the machine's binary (for its CPU time); empty in a container. */
    public OptionalLong pid() {
        return pid;
    }

    @Override
    public void close() throws Exception {
        stop.close();
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
