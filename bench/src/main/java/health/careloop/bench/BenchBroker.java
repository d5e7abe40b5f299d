package health.careloop.bench;

import health.careloop.testing.PrivateMosquitto;

import java.io.IOException;

/**
 * The benchmarks' Mosquitto: testkit's private broker from the machine's binary on a free 127.0.0.1 port, so a
 * benchmark never touches the shared broker on 1883 and can measure the broker's CPU. In-flight window 1000, no
 * persistence, up to 10 million queued messages per session. Each phase of a benchmark gets a fresh one: no session of
 * a previous phase can queue copies.
 *
 * <p>Mosquitto 2.0.11 (Debian bookworm) breaks once a persistent session holds more than 65,535 queued messages
 * (DEPENDENCIES.md): backlogs here stay at or below 60,000.
 */
final class BenchBroker {
    /** A one-hour outage at 1,000/s queues 3.6 million. */
    static final int MAX_QUEUED_MESSAGES = 10_000_000;

    private BenchBroker() {
    }

    static PrivateMosquitto start() throws IOException, InterruptedException {
        return PrivateMosquitto.machineBinary(MAX_QUEUED_MESSAGES);
    }

    /** CPU time the broker has used so far, in nanoseconds. */
    static long cpuNanos(PrivateMosquitto broker) {
        return ProcessCpu.ofPid(broker.pid().orElseThrow());
    }
}
