package health.careloop.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto of our own, started from the machine's binary on a free 127.0.0.1 port with a generated configuration,
 * so the benchmark never touches the shared broker on 1883. In-flight window 1000, up to 200,000 queued messages per
 * session, no persistence. Each phase of a benchmark gets a fresh one: no session of a previous phase can queue copies.
 *
 * <p>Mosquitto 2.0.11 (Debian bookworm) breaks once a persistent session holds more than 65,535 queued messages
 * (DEPENDENCIES.md): backlogs here stay at or below 60,000.
 */
final class PrivateBroker implements AutoCloseable {
    static final String BINARY = "/usr/sbin/mosquitto";

    private final Process process;
    private final int port;
    private final Path dir;

    private PrivateBroker(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static PrivateBroker start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("careloop-bench-mosquitto");
        int port = freePort();
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "persistence false",
                "max_inflight_messages 1000",
                "max_queued_messages 10000000", // a one-hour outage at 1,000/s queues 3.6 million
                "max_queued_bytes 0",
                "log_dest file " + dir.resolve("mosquitto.log"),
                "log_type error",
                "log_type warning",
                ""));
        Process process = new ProcessBuilder(BINARY, "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        PrivateBroker broker = new PrivateBroker(process, port, dir);
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
        broker.close();
        throw new IOException("Mosquitto did not listen on " + port + " within 10 s; see " + dir);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** CPU time Mosquitto has used so far, in nanoseconds. */
    long cpuNanos() {
        return ProcessCpu.ofPid(process.pid());
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
