package health.careloop.simulator.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What happened to the fleet's connections. Every attempt ends in exactly one of: connected, retried later, or
 * failed for good; a refusal is counted by its reason whether or not it was retried, so none goes unreported.
 */
public final class ConnectCounts {
    private static final int EXAMPLES = 10;

    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong connected = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peakOpen = new AtomicInteger();
    private final Map<String, AtomicLong> refusals = new ConcurrentHashMap<>();
    private final List<String> failedExamples = new ArrayList<>();

    void attempt() {
        attempts.incrementAndGet();
    }

    void connected() {
        connected.incrementAndGet();
        peakOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
    }

    void refused(ConnectFailure failure) {
        refusals.computeIfAbsent(failure.reason(), r -> new AtomicLong()).incrementAndGet();
    }

    void retried() {
        retried.incrementAndGet();
    }

    void failed(String deviceId, ConnectFailure failure) {
        failed.incrementAndGet();
        synchronized (failedExamples) {
            if (failedExamples.size() < EXAMPLES) {
                failedExamples.add(deviceId + ": " + failure.reason());
            }
        }
    }

    /** An open connection closed that the fleet did not close itself. */
    void closed(boolean lostUnasked) {
        open.decrementAndGet();
        if (lostUnasked) {
            lost.incrementAndGet();
        }
    }

    int open() {
        return open.get();
    }

    long connectedTotal() {
        return connected.get();
    }

    long failedTotal() {
        return failed.get();
    }

    long attemptsTotal() {
        return attempts.get();
    }

    ConnectReport snapshot() {
        Map<String, Long> byReason = new TreeMap<>();
        refusals.forEach((reason, n) -> byReason.put(reason, n.get()));
        List<String> examples;
        synchronized (failedExamples) {
            examples = List.copyOf(failedExamples);
        }
        return new ConnectReport(attempts.get(), connected.get(), retried.get(), failed.get(), lost.get(), open.get(),
                peakOpen.get(), byReason, examples);
    }

    /**
     * @param connected      successful connects, reconnects after a loss included
     * @param retried        failed attempts that were tried again after a backoff
     * @param failed         devices that gave up (attempts exhausted or a refusal that cannot change)
     * @param lost           open connections the broker or network closed
     * @param refusals       failed attempts by reason: CONNACK code, TCP_CONNECT_REFUSED, TIMEOUT…
     * @param failedExamples the first few devices that gave up, with their last reason
     */
    public record ConnectReport(long attempts, long connected, long retried, long failed, long lost, int open, int peakOpen,
                         Map<String, Long> refusals, List<String> failedExamples) {
    }
}
