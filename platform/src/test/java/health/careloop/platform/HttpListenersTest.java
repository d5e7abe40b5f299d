package health.careloop.platform;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 14: where the HTTP server listens and how long it keeps a connection nobody uses. By default the API and the
 * metrics answer on 127.0.0.1 only (read from the kernel's socket table, and tried from the machine's other address);
 * an explicit CARELOOP_HTTP_BIND is obeyed with a warning for plain HTTP; /metrics is not on the API's port; an idle
 * connection is closed after the idle timeout while the live queue's stream, which writes every 20 s, stays open.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HttpListenersTest {
    @Test
    void byDefaultTheApiAndTheMetricsListenOnLoopbackOnly() throws Exception {
        try (Platform platform = EmbeddedPlatforms.start()) {
            assertThat(listeningAddresses(platform.httpPort())).isNotEmpty().allSatisfy(a -> assertThat(a.isLoopbackAddress()).as(a.toString()).isTrue());
            assertThat(listeningAddresses(platform.metricsPort())).isNotEmpty().allSatisfy(a -> assertThat(a.isLoopbackAddress()).as(a.toString()).isTrue());
            Optional<InetAddress> other = nonLoopbackAddress();
            if (other.isPresent()) {
                assertThatThrownBy(() -> connect(other.get(), platform.httpPort())).as("the API from " + other.get()).isInstanceOf(ConnectException.class);
                assertThatThrownBy(() -> connect(other.get(), platform.metricsPort())).as("the metrics from " + other.get()).isInstanceOf(ConnectException.class);
            }
            ApiClient api = new ApiClient(platform.httpPort(), null);
            assertThat(api.getWithoutToken("/ready").status()).isEqualTo(200);
            // Public on the API's port: the probes and the API's description (what any client needs; it holds no data).
            assertThat(api.getWithoutToken("/health").status()).isEqualTo(200);
            assertThat(api.getWithoutToken("/openapi.yaml").status()).isEqualTo(200);
            assertThat(api.getWithoutToken("/metrics").status()).as("no metrics on the API's port").isEqualTo(404);
            ApiClient metrics = new ApiClient(platform.metricsPort(), null);
            assertThat(metrics.getWithoutToken("/metrics").body()).contains("careloop_auth_password_checks_total", "jvm_memory_used_bytes");
            assertThat(metrics.getWithoutToken("/api/v1/practices").status()).as("the metrics listener serves nothing else").isEqualTo(404);
        }
    }

    @Test
    void anExplicitBindAddressIsObeyedAndPlainHttpBeyondLoopbackIsAWarning() throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        try (Platform platform = EmbeddedPlatforms.start(Map.of("CARELOOP_HTTP_BIND", "0.0.0.0"))) {
            assertThat(listeningAddresses(platform.httpPort())).isNotEmpty().allSatisfy(a -> assertThat(a.isAnyLocalAddress()).as(a.toString()).isTrue());
            Optional<InetAddress> other = nonLoopbackAddress();
            if (other.isPresent()) {
                connect(other.get(), platform.httpPort()).close();
            }
            assertThat(logged.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .startsWith("The API serves plain HTTP on 0.0.0.0 (CARELOOP_HTTP_BIND), reachable from other machines"));
            // Metrics stay on loopback unless CARELOOP_METRICS_BIND says otherwise.
            assertThat(listeningAddresses(platform.metricsPort())).allSatisfy(a -> assertThat(a.isLoopbackAddress()).isTrue());
        } finally {
            root.detachAppender(logged);
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeoutWhileTheLiveQueueStreamStaysOpen() throws Exception {
        try (Platform platform = EmbeddedPlatforms.start(Map.of("CARELOOP_HTTP_IDLE_TIMEOUT_SECONDS", "30"))) {
            long started = System.nanoTime();
            // The stream writes ": keep-alive" every 20 s, so it is never idle for 30 s.
            CompletableFuture<String> stream = CompletableFuture.supplyAsync(() -> readStream(platform, Duration.ofSeconds(45)));
            try (Socket idle = new Socket()) {
                idle.connect(new InetSocketAddress("127.0.0.1", platform.httpPort()), 5000);
                // One request on a kept-alive connection, then silence.
                OutputStream out = idle.getOutputStream();
                out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                idle.setSoTimeout(60_000);
                InputStream in = idle.getInputStream();
                byte[] buffer = new byte[4096];
                int n;
                StringBuilder answer = new StringBuilder();
                while ((n = in.read(buffer)) >= 0) {
                    answer.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
                }
                double closedAfter = (System.nanoTime() - started) / 1e9;
                assertThat(answer).as("the request was answered before the silence").startsWith("HTTP/1.1 200");
                assertThat(closedAfter).as("seconds until the server closed the idle connection").isBetween(29.0, 40.0);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept an idle connection open for 60 s", e);
            }
            String streamed = stream.get(60, TimeUnit.SECONDS);
            assertThat(streamed).as("the live stream, still open after 45 s").contains(": connected").contains(": keep-alive");
            assertThat(streamed.split(": keep-alive", -1).length - 1).as("heartbeats in 45 s").isGreaterThanOrEqualTo(2);
        }
    }

    /** GET /alerts/stream for {@code duration}; what arrived. Fails if the server ends it sooner. */
    private static String readStream(Platform platform, Duration duration) {
        try (Socket socket = new Socket("127.0.0.1", platform.httpPort())) {
            socket.getOutputStream().write(("GET /api/v1/alerts/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + platform.apiToken()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            long end = System.nanoTime() + duration.toNanos();
            InputStream in = socket.getInputStream();
            StringBuilder received = new StringBuilder();
            byte[] buffer = new byte[4096];
            while (System.nanoTime() < end) {
                socket.setSoTimeout((int) Math.max(1, (end - System.nanoTime()) / 1_000_000));
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    break;
                }
                if (n < 0) {
                    throw new AssertionError("the server ended the live stream after less than " + duration + ": " + received);
                }
                received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            return received.toString();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Socket connect(InetAddress address, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(address, port), 3000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** An address of this machine that is not loopback (the one other machines would use), if it has one. */
    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                    return Optional.of(address);
                }
            }
        }
        return Optional.empty();
    }

    /** The local addresses of the listening TCP sockets on {@code port}, from the kernel's tables (Linux). */
    static List<InetAddress> listeningAddresses(int port) throws IOException {
        List<InetAddress> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 4 || !f[3].equals("0A") || !f[1].contains(":")) {
                    continue; // header, or not LISTEN
                }
                String[] local = f[1].split(":");
                if (Integer.parseInt(local[1], 16) != port) {
                    continue;
                }
                byte[] raw = HexFormat.of().parseHex(local[0]);
                for (int word = 0; word < raw.length; word += 4) { // each 32-bit word is in host (little-endian) order
                    for (int i = 0; i < 2; i++) {
                        byte b = raw[word + i];
                        raw[word + i] = raw[word + 3 - i];
                        raw[word + 3 - i] = b;
                    }
                }
                addresses.add(InetAddress.getByAddress(raw));
            }
        }
        return addresses;
    }
}
