package health.careloop.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto of the test's own, from the machine's binary (Debian's mosquitto), on a free 127.0.0.1 port, with the
 * queue settings CareLoop ships in deploy/mosquitto/mosquitto.conf (the machine's broker on 1883 keeps Mosquitto's
 * defaults: 1000 queued messages per session, after which it drops). Anonymous, no persistence.
 */
public final class PrivateMosquitto implements AutoCloseable {
    public static final String BINARY = "/usr/sbin/mosquitto";

    private final Process process;
    private final int port;
    private final Path dir;

    private PrivateMosquitto(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    public static PrivateMosquitto start() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's mosquitto package (scripts/test.sh expects it)");
        }
        Path dir = Files.createTempDirectory("careloop-mosquitto");
        int port;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> conf = new ArrayList<>(List.of(
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "persistence false",
                // As deploy/mosquitto/mosquitto.conf; below 65,535 because Debian's 2.0.11 breaks above it.
                "max_queued_messages 60000",
                "max_queued_bytes 0",
                "max_inflight_messages 1000",
                "log_dest file " + dir.resolve("mosquitto.log"),
                "log_type error",
                "log_type warning"));
        Files.write(dir.resolve("mosquitto.conf"), conf);
        Process process = new ProcessBuilder(BINARY, "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        PrivateMosquitto broker = new PrivateMosquitto(process, port, dir);
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
        broker.close();
        throw new IOException("Mosquitto did not listen on " + port + " within 10 s; see " + dir);
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
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
