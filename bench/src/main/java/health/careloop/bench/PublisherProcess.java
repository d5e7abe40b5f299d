package health.careloop.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Starts {@link LoadPublisher} in a child JVM and follows its progress lines. */
final class PublisherProcess implements AutoCloseable {

    /** What the publisher reported at the end; times are wall-clock epoch milliseconds. */
    record Result(long sent, long acked, long failed, long crises, long firstPublishMillis, long lastAckMillis, long cpuNanos) {
        double seconds() {
            return (lastAckMillis - firstPublishMillis) / 1000.0;
        }
    }

    private final Process process;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile long acked;
    private volatile Result result;

    private PublisherProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::follow, "publisher-output");
        reader.setDaemon(true);
        reader.start();
    }

    static PublisherProcess start(String broker, Path devicesFile, int connections, double rate, Duration duration,
                                  long count, double crisisPercent) throws IOException {
        return start(broker, devicesFile, connections, rate, duration, count, crisisPercent, Duration.ZERO);
    }

    /** {@code warmUp}: first publish this long where nobody subscribes (LoadPublisher --warm-up); not counted. */
    static PublisherProcess start(String broker, Path devicesFile, int connections, double rate, Duration duration,
                                  long count, double crisisPercent, Duration warmUp) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:+UseParallelGC",
                "-cp", System.getProperty("java.class.path"), Bench.class.getName(), "publish",
                "--broker", broker, "--devices-file", devicesFile.toString(), "--connections", Integer.toString(connections),
                "--rate", Double.toString(rate), "--duration", duration.toString(), "--count", Long.toString(count),
                "--crisis-percent", Double.toString(crisisPercent), "--warm-up", warmUp.toString()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return new PublisherProcess(process);
    }

    private void follow() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split(" ");
                if (f[0].equals("P") && f.length == 4) {
                    acked = Long.parseLong(f[2]);
                } else if (f[0].equals("DONE") && f.length == 8) {
                    result = new Result(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                            Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[7]));
                    acked = result.acked();
                } else {
                    System.err.println("[publisher] " + line);
                }
            }
        } catch (IOException ignored) {
            // The process ended.
        } finally {
            done.countDown();
        }
    }

    /** Messages the broker has acknowledged so far. */
    long acked() {
        return acked;
    }

    boolean isDone() {
        return result != null;
    }

    /** Asks the publisher to stop sending; it still waits for the acknowledgements of what it sent. */
    void stop() {
        try {
            OutputStream in = process.getOutputStream();
            in.write("stop\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException ignored) {
            // Already gone.
        }
    }

    Result await(Duration within) throws InterruptedException {
        if (!done.await(within.toMillis(), TimeUnit.MILLISECONDS) || result == null) {
            process.destroyForcibly();
            throw new IllegalStateException("the publisher did not finish within " + within);
        }
        process.waitFor(5, TimeUnit.SECONDS);
        return result;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
